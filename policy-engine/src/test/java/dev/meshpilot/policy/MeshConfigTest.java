package dev.meshpilot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.route.EgressDecision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mesh config (ConfigMap istio-system/istio, key mesh): the mesh-wide outbound traffic policy. */
class MeshConfigTest {
    static String meshConfig(String mode) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio, namespace: istio-system}
                data:
                  mesh: |-
                    accessLogFile: /dev/stdout
                    outboundTrafficPolicy:
                      mode: %s
                ---
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: open, namespace: open}
                spec: {outboundTrafficPolicy: {mode: ALLOW_ANY}}
                """.formatted(mode);
    }

    static CompileResult compile(String yaml) {
        return MeshCompiler.compile("v", List.of(new SourceFile("mesh.yaml", yaml)));
    }

    @Test
    void registryOnlyInTheMeshConfigBlocksUnknownHostsWhereNoSidecarSaysOtherwise() {
        MeshSnapshot s = compile(meshConfig("REGISTRY_ONLY")).snapshot();
        EgressDecision blocked = s.egress("default", Map.of("app", "x"), "ifconfig.co", 443);
        assertThat(blocked.allowed()).isFalse();
        assertThat(blocked.reason()).isEqualTo("REGISTRY_ONLY: ifconfig.co is not in the service registry (mesh config "
                + "ConfigMap istio-system/istio)");
        assertThat(s.egress("open", Map.of("app", "x"), "ifconfig.co", 443).allowed()).isTrue();
        assertThat(compile(meshConfig("ALLOW_ANY")).snapshot().egress("default", Map.of(), "ifconfig.co", 443).allowed())
                .isTrue();
    }

    @Test
    void aBadModeIsReportedAtItsLineInTheFile() {
        assertThat(compile(meshConfig("CLOSED")).errors()).singleElement().satisfies(f -> {
            assertThat(f.toString()).isEqualTo("mesh.yaml:8 ConfigMap istio-system/istio: data.mesh.outboundTrafficPolicy.mode:"
                    + " mode: CLOSED (expected: ALLOW_ANY or REGISTRY_ONLY)");
        });
    }
}
