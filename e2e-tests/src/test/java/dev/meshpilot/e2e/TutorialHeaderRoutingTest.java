package dev.meshpilot.e2e;

import dev.meshpilot.e2e.support.Eventually;
import dev.meshpilot.e2e.support.Eventually.Observation;
import dev.meshpilot.e2e.support.EmbeddedMeshpilot;
import dev.meshpilot.e2e.support.GatewayClient;
import dev.meshpilot.e2e.support.TutorialFiles;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tutorial 7.3, "Advanced Istio Routing": {@code helloworld-v2-routing.yaml} pushed unchanged; a request with
 * {@code end-user: john} is answered by v2, every other request by v1.
 */
class TutorialHeaderRoutingTest {

    private static final String HOST = "hello.example.com";
    private static final String V1 = "200 hello world !!!";
    private static final String V2 = "200 hello, this is v2 !!!";

    @RegisterExtension
    final EmbeddedMeshpilot mesh = new EmbeddedMeshpilot();

    @Test
    void routesJohnToV2AndEveryoneElseToV1() {
        // kubectl apply -f helloworld-v2-routing.yaml replaces the DestinationRule "hello" of the canary file
        // and the VirtualService "helloworld" of helloworld-gw.yaml: in Git, those go away in the same commit.
        mesh.pushAndAwaitApplied("Route end-user john to v2 (tutorial 7.3)", Map.of(
                        "helloworld-v2-routing.yaml", TutorialFiles.read("helloworld-v2-routing.yaml"),
                        "helloworld-gw.yaml", TutorialFiles.withoutDocument(
                                mesh.clone().read("helloworld-gw.yaml"), "VirtualService", "helloworld")),
                List.of("helloworld-v2-canary.yaml"));

        GatewayClient gateway = mesh.gateway();
        Eventually.await("every answer for john comes from v2", Duration.ofSeconds(20), () -> {
            Map<String, Integer> answers = gateway.answers(HOST, "/", Map.of("end-user", "john"), 30);
            return new Observation(answers.equals(Map.of(V2, 30)), answers.toString());
        });
        Eventually.await("every answer without the header comes from v1", Duration.ofSeconds(20), () -> {
            Map<String, Integer> answers = gateway.answers(HOST, "/", 30);
            return new Observation(answers.equals(Map.of(V1, 30)), answers.toString());
        });
        Map<String, Integer> otherUser = gateway.answers(HOST, "/", Map.of("end-user", "jane"), 30);
        org.assertj.core.api.Assertions.assertThat(otherUser).as("answers for end-user jane")
                .isEqualTo(Map.of(V1, 30));
    }
}
