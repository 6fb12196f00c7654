package dev.meshpilot.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.e2e.support.EmbeddedMeshpilot;
import dev.meshpilot.e2e.support.Eventually;
import dev.meshpilot.e2e.support.Eventually.Observation;
import dev.meshpilot.e2e.support.GatewayClient;
import dev.meshpilot.e2e.support.TutorialFiles;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tutorial 7.6, "Mutual TLS example": ns1 → ns2 → legacy works with mTLS switched on mesh-wide, because the
 * legacy hop has a DestinationRule with {@code tls: DISABLE}; the reverse chain starts in legacy, which has no
 * sidecar, and fails where it calls into ns2, which accepts mTLS only. The section's files replace the seeded ones
 * (they define the same Gateway and DestinationRule names), as on the tutorial's fresh cluster; the one line added
 * to them is the label {@code istio-injection: disabled} on the legacy Namespace (the tutorial's "no kube-inject").
 */
@Tag("security")
class TutorialMutualTlsTest {

    private static final String LEGACY = "helloworld-tls-legacy.yaml";

    @RegisterExtension
    final EmbeddedMeshpilot mesh = new EmbeddedMeshpilot();

    @BeforeEach
    void startMeshpilotWithTheTlsSection() {
        Map<String, String> files = TutorialFiles.files("helloworld-tls.yaml", "helloworld-tls-enable.yaml");
        // the tutorial applies the legacy file without `istioctl kube-inject`; in Git, the namespace says so
        files.put(LEGACY, TutorialFiles.withNamespaceLabel(TutorialFiles.read(LEGACY), "legacy",
                "istio-injection", "disabled"));
        mesh.pushAndAwaitApplied("Mutual TLS across ns1, ns2 and legacy (tutorial 7.6)", files, TutorialFiles.SEEDED);
    }

    @Test
    void theChainFromNs1ThroughNs2ToLegacyAnswers() {
        GatewayClient gateway = mesh.gateway();
        Eventually.await("hello-tls.example.com answers through ns1, ns2 and legacy", Duration.ofSeconds(20), () -> {
            HttpResponse<String> response = gateway.get("hello-tls.example.com", "/");
            String answer = response.statusCode() + " " + response.body().strip();
            return new Observation(answer.equals("200 hello world !!!"), answer);
        });
    }

    @Test
    void theReverseChainFailsWhereLegacyCallsIntoStrictNs2() {
        GatewayClient gateway = mesh.gateway();
        String[] seen = {""};
        Eventually.await("hello-tls-reverse.example.com fails at the legacy → ns2 hop", Duration.ofSeconds(20), () -> {
            HttpResponse<String> response = gateway.get("hello-tls-reverse.example.com", "/");
            seen[0] = response.statusCode() + " " + response.body().strip();
            return new Observation(response.statusCode() == 502
                    && response.body().startsWith("hello: downstream http://world-reverse.ns2:8080/ failed"), seen[0]);
        });
        assertThat(seen[0]).as("the reverse chain's answer").doesNotEndWith("!!!");
    }
}
