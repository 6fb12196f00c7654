package dev.meshpilot.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.e2e.support.EmbeddedMeshpilot;
import dev.meshpilot.e2e.support.Eventually;
import dev.meshpilot.e2e.support.Eventually.Observation;
import dev.meshpilot.e2e.support.GatewayClient;
import dev.meshpilot.e2e.support.TutorialFiles;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tutorial 7.8, "RBAC with Istio and MTLS": with {@code helloworld-rbac-enable.yaml} and {@code helloworld-rbac.yaml}
 * the gateway → hello → world → world-2 chain answers; without the binding that lets world call world-2, that
 * hop is denied and the user reads why. The section's files replace the seeded ones (helloworld-rbac.yaml redefines
 * the hello, world and world-2 Deployments, the Gateway and the DestinationRule).
 */
@Tag("security")
class TutorialRbacTest {

    private static final String HOST = "hello-rbac.example.com";

    @RegisterExtension
    final EmbeddedMeshpilot mesh = new EmbeddedMeshpilot();

    @Test
    void theChainAnswersUntilTheWorldUserBindingIsRemovedThenWorldToWorld2IsDenied() {
        GatewayClient gateway = mesh.gateway();
        mesh.pushAndAwaitApplied("RBAC between hello, world and world-2 (tutorial 7.8)",
                TutorialFiles.files("helloworld-rbac-enable.yaml", "helloworld-rbac.yaml"), TutorialFiles.SEEDED);
        Eventually.await(HOST + " answers through hello, world and world-2", Duration.ofSeconds(20), () -> {
            HttpResponse<String> response = gateway.get(HOST, "/");
            String answer = response.statusCode() + " " + response.body().strip();
            return new Observation(answer.equals("200 hello world !!!"), answer);
        });

        mesh.pushAndAwaitApplied("world may no longer call world-2", Map.of(
                        "helloworld-rbac.yaml", TutorialFiles.withoutDocument(mesh.clone().read("helloworld-rbac.yaml"),
                                "ServiceRoleBinding", "world-user-binding")),
                List.of());

        String[] seen = {""};
        Eventually.await(HOST + " is denied at the world → world-2 hop", Duration.ofSeconds(20), () -> {
            HttpResponse<String> response = gateway.get(HOST, "/");
            seen[0] = response.statusCode() + " " + response.body().strip();
            return new Observation(response.statusCode() == 403, seen[0]);
        });
        assertThat(seen[0]).as("what the user sees")
                .startsWith("403 hello: downstream http://world:8080/ answered 403: ")
                .contains("world: downstream http://world-2:8080/ answered 403: ")
                .endsWith("RBAC: access denied");
    }
}
