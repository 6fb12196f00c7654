package dev.meshpilot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.ResolvedDestination;
import dev.meshpilot.policy.route.RouteDecision;
import dev.meshpilot.policy.route.WeightedDestination;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteDecisionTest {
    static final String HELLO = "hello.default.svc.cluster.local";
    static final ProxyRef GATEWAY = ProxyRef.ingressGateway();

    static RequestAttributes get(String authority, String path, Map<String, List<String>> headers) {
        return new RequestAttributes("GET", authority, path, 80, headers);
    }

    final MeshSnapshot canary = Seed.compile(List.of(Seed.file("helloworld.yaml"), Seed.file("helloworld-gw.yaml"),
            Seed.file("helloworld-v2.yaml"), Seed.canaryRenamed()));
    final MeshSnapshot routing = Seed.compile(List.of(Seed.file("helloworld.yaml"), Seed.file("helloworld-gw.yaml"),
            Seed.file("helloworld-v2.yaml"), Seed.routingRenamed()));
    final MeshSnapshot v3 = Seed.compile(Seed.files("helloworld.yaml", "helloworld-gw.yaml", "helloworld-v3.yaml"));

    @Test
    void routesHelloPathWithAnyHostToHello() {
        RouteDecision d = canary.route(GATEWAY, get("anything.test:80", "/hello/x?y=1", Map.of()));
        assertThat(d.virtualService()).isEqualTo("default/helloworld");
        assertThat(d.rule()).isZero();
        assertThat(d.destinations()).containsExactly(new WeightedDestination(HELLO, null, 8080, 100));
    }

    @Test
    void answersNoneForPathsTheCatchAllHostDoesNotMatch() {
        assertThat(canary.route(GATEWAY, get("localhost", "/other", Map.of())).routed()).isFalse();
    }

    @Test
    void splitsHelloExampleComNinetyTen() {
        RouteDecision d = canary.route(GATEWAY, get("hello.example.com", "/", Map.of()));
        assertThat(d.virtualService()).isEqualTo("default/helloworld-canary");
        assertThat(d.destinations()).containsExactly(new WeightedDestination(HELLO, "v1", 8080, 90),
                new WeightedDestination(HELLO, "v2", 8080, 10));
    }

    @Test
    void routesJohnToV2WhenEndUserHeaderMatches() {
        RouteDecision john = routing.route(GATEWAY, get("hello.example.com", "/", Map.of("End-User", List.of("john"))));
        assertThat(john.rule()).isZero();
        assertThat(john.destinations()).containsExactly(new WeightedDestination(HELLO, "v2", 8080, 100));
        RouteDecision other = routing.route(GATEWAY, get("hello.example.com", "/", Map.of("end-user", List.of("jane"))));
        assertThat(other.rule()).isEqualTo(1);
        assertThat(other.destinations()).containsExactly(new WeightedDestination(HELLO, "v1", 8080, 100));
    }

    @Test
    void carriesTimeoutAndRetriesOfHelloV3() {
        RouteDecision d = v3.route(GATEWAY, get("hello-v3.example.com", "/", Map.of()));
        assertThat(d.virtualService()).isEqualTo("default/helloworld-v3");
        assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.retries()).isNotNull();
        assertThat(d.retries().attempts()).isEqualTo(2);
        assertThat(d.retries().perTryTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.destinations()).containsExactly(new WeightedDestination(HELLO, "v3", 8080, 100));
    }

    @Test
    void gatewayPortMustMatchAServerPortUnlessAny() {
        assertThat(canary.route(GATEWAY, new RequestAttributes("GET", "x", "/hello", 8443, Map.of())).routed()).isFalse();
        assertThat(canary.route(GATEWAY, new RequestAttributes("GET", "x", "/hello", 0, Map.of())).routed()).isTrue();
    }

    @Test
    void sidecarRoutesShortNameToServiceInOwnNamespace() {
        ProxyRef hello = ProxyRef.sidecar("default", "hello", Map.of("app", "hello", "version", "v1"), "default");
        RouteDecision d = canary.route(hello, RequestAttributes.of("GET", "world:8080", "/", 8080));
        assertThat(d.virtualService()).isNull();
        assertThat(d.rule()).isEqualTo(-1);
        assertThat(d.destinations()).containsExactly(
                new WeightedDestination("world.default.svc.cluster.local", null, 8080, 100));
        assertThat(canary.route(hello, RequestAttributes.of("GET", "nowhere:8080", "/", 8080)).routed()).isFalse();
    }

    @Test
    void sidecarResolvesNameDotNamespace() {
        MeshSnapshot tls = Seed.compile(Seed.files("helloworld-tls.yaml"));
        ProxyRef hello = ProxyRef.sidecar("ns1", "hello-tls", Map.of("app", "hello"), "default");
        assertThat(tls.route(hello, RequestAttributes.of("GET", "world.ns2:8080", "/", 8080)).destinations())
                .containsExactly(new WeightedDestination("world.ns2.svc.cluster.local", null, 8080, 100));
    }

    @Test
    void resolvesSubsetToSelectorAndTargetPort() {
        assertThat(canary.resolve(HELLO, "v2", 8080)).contains(
                new ResolvedDestination("default", "hello", Map.of("app", "hello", "version", "v2"), 8080));
        assertThat(canary.resolve(HELLO, null, 0)).contains(
                new ResolvedDestination("default", "hello", Map.of("app", "hello"), 8080));
        assertThat(canary.resolve(HELLO, "v9", 8080)).isEmpty();
        assertThat(canary.resolve("nope.default.svc.cluster.local", null, 80)).isEmpty();
    }

    @Test
    void listsWorkloadsWithDefaults() {
        assertThat(v3.workloads()).extracting(w -> w.key() + " " + w.replicas())
                .containsExactly("default/hello 3", "default/world 3", "default/world-2 3", "default/hello-v3 2",
                        "default/hello-v3-latency 1");
        var hv3 = v3.workloads().get(3);
        assertThat(hv3.serviceAccount()).isEqualTo("default");
        assertThat(hv3.sidecarInjected()).isTrue();
        assertThat(hv3.labels()).containsEntry("version", "v3");
        assertThat(hv3.env().get(0).fieldRef()).isEqualTo("metadata.name");
        assertThat(hv3.env().get(1).value()).isEqualTo("hello, this is $(MY_POD_NAME)");
        assertThat(hv3.containerPorts()).containsExactly(8080);
        assertThat(v3.services()).extracting(s -> s.fqdn()).contains(HELLO);
    }

    @Test
    void disablesInjectionByNamespaceLabelOrAnnotation() {
        String yaml = """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: plain
                  labels:
                    istio-injection: disabled
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: a, namespace: plain}
                spec:
                  template:
                    spec:
                      containers: [{name: a, image: img}]
                ---
                apiVersion: extensions/v1beta1
                kind: Deployment
                metadata: {name: b}
                spec:
                  template:
                    metadata:
                      annotations: {sidecar.istio.io/inject: "false"}
                    spec:
                      serviceAccountName: sa
                      containers: [{name: b, image: img}]
                """;
        MeshSnapshot s = Seed.compile(List.of(new SourceFile("d.yaml", yaml)));
        assertThat(s.workloads()).extracting(w -> w.name() + " " + w.sidecarInjected() + " " + w.serviceAccount())
                .containsExactly("a false default", "b false sa");
    }
}
