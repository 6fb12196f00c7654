package dev.meshpilot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The networking.istio.io/exportTo annotation on a Kubernetes Service limits the namespaces that see it. */
class ServiceExportToTest {
    static String service(String exportTo) {
        return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: db
                  namespace: data
                  annotations: {networking.istio.io/exportTo: "%s"}
                spec: {selector: {app: db}, ports: [{port: 5432}]}
                ---
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: default, namespace: istio-system}
                spec: {outboundTrafficPolicy: {mode: REGISTRY_ONLY}}
                """.formatted(exportTo);
    }

    static CompileResult compile(String yaml) {
        return MeshCompiler.compile("v", List.of(new SourceFile("s.yaml", yaml)));
    }

    @Test
    void aServiceExportedToItsNamespaceIsInvisibleElsewhere() {
        MeshSnapshot s = compile(service(".")).snapshot();
        String host = "db.data.svc.cluster.local";
        assertThat(s.resolve("data", host, null, 5432)).isPresent();
        assertThat(s.resolve("web", host, null, 5432)).isEmpty();
        assertThat(s.egress("data", Map.of("app", "x"), host, 5432).allowed()).isTrue();
        assertThat(s.egress("web", Map.of("app", "x"), host, 5432).reason()).contains("is not in the service registry");
        ProxyRef web = ProxyRef.sidecar("web", "web", Map.of("app", "web"), "web");
        assertThat(s.route(web, RequestAttributes.of("GET", "db.data:5432", "/", 5432)).routed()).isFalse();
    }

    @Test
    void listedNamespacesSeeIt() {
        MeshSnapshot s = compile(service("., web")).snapshot();
        assertThat(s.resolve("web", "db.data.svc.cluster.local", null, 5432)).isPresent();
        assertThat(s.resolve("other", "db.data.svc.cluster.local", null, 5432)).isEmpty();
        assertThat(s.services().get(0).exportTo()).containsExactly(".", "web");
    }

    @Test
    void rejectsBadAnnotationValues() {
        assertThat(compile(service("*, web")).errors()).singleElement().satisfies(f -> {
            assertThat(f.field()).isEqualTo("metadata.annotations.networking.istio.io/exportTo");
            assertThat(f.message()).isEqualTo("exportTo: *, web (expected: * or ~ alone)");
            assertThat(f.line()).isEqualTo(6);
        });
        assertThat(compile(service("Web_1")).errors()).hasSize(1);
    }
}
