package dev.meshpilot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.RouteDecision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One test per http match condition and host rule, on a mesh VirtualService seen from sidecars. */
class MatchConditionsTest {
    static MeshSnapshot mesh(String match) {
        return Seed.compile(List.of(new SourceFile("m.yaml", """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: vs, namespace: ns2}
                spec:
                  hosts: [world]
                  http:
                  - match: [%s]
                    route: [{destination: {host: world, subset: special}}]
                  - route: [{destination: {host: world}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: world, namespace: ns2}
                spec: {host: world, subsets: [{name: special, labels: {special: "true"}}]}
                """.formatted(match))));
    }

    static String subset(MeshSnapshot s, ProxyRef from, String method, String authority, String path,
            Map<String, List<String>> headers) {
        RouteDecision d = s.route(from, new RequestAttributes(method, authority, path, 8080, headers));
        assertThat(d.destinations()).extracting(w -> w.host()).containsExactly("world.ns2.svc.cluster.local");
        return String.valueOf(d.destinations().get(0).subset());
    }

    static final ProxyRef HELLO = ProxyRef.sidecar("ns1", "hello", Map.of("app", "hello"), "default");

    static String get(MeshSnapshot s, String path) {
        return subset(s, HELLO, "GET", "world.ns2:8080", path, Map.of());
    }

    @Test
    void shortHostsResolveInTheVirtualServicesNamespace() {
        assertThat(get(mesh("{uri: {exact: /x}}"), "/x")).isEqualTo("special");
    }

    @Test
    void uriExactPrefixRegexAndIgnoreCase() {
        assertThat(get(mesh("{uri: {exact: /x}}"), "/x/")).isEqualTo("null");
        assertThat(get(mesh("{uri: {prefix: /x}}"), "/xy?z=1")).isEqualTo("special");
        assertThat(get(mesh("{uri: {regex: '/a+'}}"), "/aaa")).isEqualTo("special");
        assertThat(get(mesh("{uri: {regex: '/a+'}}"), "/aaab")).isEqualTo("null");
        assertThat(get(mesh("{uri: {exact: /Abc}, ignoreUriCase: true}"), "/aBC")).isEqualTo("special");
    }

    @Test
    void methodAuthorityAndPort() {
        MeshSnapshot m = mesh("{method: {exact: POST}}");
        assertThat(subset(m, HELLO, "POST", "world.ns2:8080", "/", Map.of())).isEqualTo("special");
        assertThat(subset(m, HELLO, "GET", "world.ns2:8080", "/", Map.of())).isEqualTo("null");
        assertThat(get(mesh("{authority: {prefix: world.ns2}}"), "/")).isEqualTo("special");
        assertThat(get(mesh("{port: 8080}"), "/")).isEqualTo("special");
        assertThat(get(mesh("{port: 9090}"), "/")).isEqualTo("null");
    }

    @Test
    void headersAreCaseInsensitiveAndQueryParamsExact() {
        MeshSnapshot m = mesh("{headers: {X-Canary: {exact: 'yes'}}}");
        assertThat(subset(m, HELLO, "GET", "world.ns2", "/", Map.of("x-canary", List.of("yes")))).isEqualTo("special");
        assertThat(subset(m, HELLO, "GET", "world.ns2", "/", Map.of("x-canary", List.of("no")))).isEqualTo("null");
        assertThat(get(mesh("{queryParams: {v: {exact: '2'}}}"), "/p?v=2")).isEqualTo("special");
        assertThat(get(mesh("{queryParams: {v: {exact: '2'}}}"), "/p?v=22")).isEqualTo("null");
    }

    @Test
    void sourceNamespaceSourceLabelsAndGateways() {
        assertThat(get(mesh("{sourceNamespace: ns1}"), "/")).isEqualTo("special");
        assertThat(get(mesh("{sourceNamespace: ns9}"), "/")).isEqualTo("null");
        assertThat(get(mesh("{sourceLabels: {app: hello}}"), "/")).isEqualTo("special");
        assertThat(get(mesh("{gateways: [mesh]}"), "/")).isEqualTo("special");
        assertThat(get(mesh("{gateways: [some-gateway]}"), "/")).isEqualTo("null");
    }

    @Test
    void aVirtualServiceThatOwnsTheHostButMatchesNothingAnswersNoRoute() {
        MeshSnapshot s = Seed.compile(List.of(new SourceFile("m.yaml", """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: vs}
                spec:
                  hosts: [world]
                  http:
                  - match: [{uri: {prefix: /only}}]
                    route: [{destination: {host: world}}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: world}
                spec: {selector: {app: world}, ports: [{port: 8080}]}
                """)));
        ProxyRef p = ProxyRef.sidecar("default", "hello", Map.of(), "default");
        assertThat(s.route(p, RequestAttributes.of("GET", "world:8080", "/other", 8080)).routed()).isFalse();
        assertThat(s.route(p, RequestAttributes.of("GET", "world:8080", "/only/x", 8080)).rule()).isZero();
    }
}
