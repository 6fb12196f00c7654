package dev.meshpilot.proxy.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.proxy.testing.GatewayClient;
import dev.meshpilot.proxy.testing.StderrCapture;
import dev.meshpilot.proxy.testing.Tutorial;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** No private key material (PEM or a JWK's private members) appears in any log while tokens are issued and checked. */
class FleetKeyHygieneTest {

    @Test
    void noPrivateKeyInAnyLogOutput() {
        List<String> logs = new ArrayList<>();
        String stderr = StderrCapture.during(() -> {
            try (EmbeddedFleet fleet = new EmbeddedFleet(FleetOptions.localhost());
                    GatewayClient client = startAndConnect(fleet)) {
                fleet.apply(Tutorial.snapshot("jwt", "helloworld-jwt.yaml", "helloworld-jwt-enable.yaml"));
                HttpResponse<String> jwks = client.get(FleetJwtTutorialTest.AUTH, "/.well-known/jwks.json");
                assertThat(jwks.body()).contains("\"kid\":\"mykey\"").doesNotContain("\"d\":").doesNotContain("\"p\":");
                assertThat(client.get(FleetJwtTutorialTest.HELLO, "/").statusCode()).isEqualTo(401);
                assertThat(client.get(FleetJwtTutorialTest.HELLO, "/", Map.of("Authorization", "Bearer x.y.z"))
                        .statusCode()).isEqualTo(401);
                logs.addAll(fleet.gatewayLogs(1000));
                for (String deployment : List.of("auth", "hello")) {
                    logs.addAll(fleet.logs("default", deployment, 1000));
                }
            }
        });
        String all = stderr + String.join("\n", logs);
        assertThat(logs).isNotEmpty();
        assertThat(all).doesNotContain("PRIVATE KEY").doesNotContain("\"d\":").doesNotContain("\"dp\":")
                .doesNotContain("\"qi\":");
    }

    private static GatewayClient startAndConnect(EmbeddedFleet fleet) {
        fleet.start();
        return new GatewayClient(fleet.gatewayPort());
    }
}
