package dev.meshpilot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.route.EgressDecision;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.SidecarConfig;
import dev.meshpilot.policy.route.SidecarConfig.IngressListener;
import dev.meshpilot.policy.route.SidecarConfig.Port;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sidecar per-port egress listeners (port, bind, hosts) and ingress listeners, with Istio's validation. */
class SidecarListenersTest {
    static final Map<String, String> HELLO = Map.of("app", "hello");
    static final String PER_PORT = """
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata: {name: hello, namespace: default}
            spec:
              workloadSelector: {labels: {app: hello}}
              outboundTrafficPolicy: {mode: REGISTRY_ONLY}
              ingress:
              - port: {number: 9080, protocol: HTTP, name: http}
                defaultEndpoint: 127.0.0.1:8080
              egress:
              - port: {number: 9080, protocol: HTTP}
                bind: 127.0.0.1
                captureMode: NONE
                hosts: ["./*"]
              - hosts: ["istio-system/*"]
            ---
            """;

    static CompileResult compile(String yaml) {
        return MeshCompiler.compile("v", List.of(EgressTest.registryFile(), new SourceFile("s.yaml", yaml)));
    }

    @Test
    void aPortListenerImportsItsHostsOnlyOnItsPort() {
        MeshSnapshot s = compile(PER_PORT).snapshot();
        assertThat(s.egress("default", HELLO, "end", 9080).allowed()).isTrue();
        EgressDecision other = s.egress("default", HELLO, "end", 8080);
        assertThat(other.allowed()).isFalse();
        assertThat(other.reason()).isEqualTo("REGISTRY_ONLY: end.default.svc.cluster.local is not imported by the egress "
                + "hosts (Sidecar default/hello)");
        ProxyRef hello = ProxyRef.sidecar("default", "hello", HELLO, "hello");
        assertThat(s.route(hello, RequestAttributes.of("GET", "end:9080", "/", 9080)).routed()).isTrue();
        assertThat(s.route(hello, RequestAttributes.of("GET", "end:8080", "/", 8080)).routed()).isFalse();
    }

    @Test
    void withoutACatchAllListenerOtherPortsHaveNoListener() {
        MeshSnapshot s = compile(PER_PORT.replace("  - hosts: [\"istio-system/*\"]\n", "")).snapshot();
        assertThat(s.egress("default", HELLO, "end", 8080).reason()).isEqualTo("REGISTRY_ONLY: "
                + "end.default.svc.cluster.local has no egress listener for port 8080 (Sidecar default/hello)");
    }

    @Test
    void exposesListenersToTheDataPlane() {
        SidecarConfig c = compile(PER_PORT).snapshot().sidecar("default", HELLO).orElseThrow();
        assertThat(c.sidecar()).isEqualTo("default/hello");
        assertThat(c.outboundTrafficPolicy()).isEqualTo("REGISTRY_ONLY");
        assertThat(c.egressFor(9080).orElseThrow().bind()).isEqualTo("127.0.0.1");
        assertThat(c.egressFor(9080).orElseThrow().captureMode()).isEqualTo("NONE");
        assertThat(c.egressFor(1234).orElseThrow().hosts()).containsExactly("istio-system/*");
        IngressListener in = c.ingressFor(9080).orElseThrow();
        assertThat(in).isEqualTo(new IngressListener(new Port(9080, "HTTP", "http"), null, "DEFAULT", "127.0.0.1:8080"));
        assertThat(in.targetPort()).isEqualTo(8080);
        assertThat(c.ingressFor(8080)).isEmpty();
        assertThat(compile(PER_PORT).snapshot().sidecar("other", HELLO)).isEmpty();
    }

    @Test
    void reportsListenerMistakesAsIstioValidationDoes() {
        List<Finding> found = compile("""
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: bad, namespace: default}
                spec:
                  ingress:
                  - port: {number: 9080}
                    defaultEndpoint: 10.0.0.1:8080
                  - port: {number: 9080}
                  egress:
                  - hosts: ["./*"]
                  - port: {number: 80}
                    bind: localhost
                    captureMode: SOMETIMES
                    hosts: ["./*"]
                  - port: {number: 80}
                    hosts: ["./*"]
                """).errors();
        assertThat(found).extracting(Finding::field).containsExactly("spec.egress[0].port", "spec.egress[1].bind",
                "spec.egress[1].captureMode", "spec.egress[2].port", "spec.ingress[0].defaultEndpoint",
                "spec.ingress[1].port");
        assertThat(found.get(0).message()).isEqualTo("the egress listener without a port must be the last one (it "
                + "serves every port the others do not)");
    }
}
