package dev.meshpilot.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.e2e.support.EmbeddedMeshpilot;
import dev.meshpilot.e2e.support.Eventually;
import dev.meshpilot.e2e.support.Eventually.Observation;
import dev.meshpilot.e2e.support.GatewayClient;
import dev.meshpilot.e2e.support.TutorialFiles;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tutorial 7.9, "End-user Authentication": {@code helloworld-jwt.yaml} and {@code helloworld-jwt-enable.yaml}
 * pushed unchanged; hello answers only with a token that the auth service's {@code POST /login} issued, fetched
 * through the gateway as the tutorial's user does, and verified against the auth service's JWKS. The section's
 * files replace the seeded ones (they redefine the Gateway and the hello Deployment).
 */
@Tag("security")
class TutorialJwtTest {

    private static final String HELLO = "hello.kubernetes.newtech.academy";
    private static final String AUTH = "auth.kubernetes.newtech.academy";
    private static final String HELLO_TEXT = "Hello, you can only reach this service when authenticated";
    private static final String TOKEN_PREFIX = "JWT token: ";

    @RegisterExtension
    final EmbeddedMeshpilot mesh = new EmbeddedMeshpilot();

    private GatewayClient gateway;

    @BeforeEach
    void startMeshpilotWithTheJwtSection() {
        gateway = mesh.gateway();
        mesh.pushAndAwaitApplied("Require a JWT for hello (tutorial 7.9)",
                TutorialFiles.files("helloworld-jwt.yaml", "helloworld-jwt-enable.yaml"), TutorialFiles.SEEDED);
    }

    @Test
    void helloAnswers401WithoutAToken() {
        Eventually.await(HELLO + " without a token answers 401", Duration.ofSeconds(20), () -> {
            HttpResponse<String> response = gateway.get(HELLO, "/");
            return new Observation(response.statusCode() == 401, response.statusCode() + " " + response.body());
        });
        assertThat(gateway.get(HELLO, "/").body()).isEqualTo("Jwt verification fails");
    }

    @Test
    void helloAnswersWithATokenFromTheAuthServicesLogin() {
        String token = logIn("john");

        HttpResponse<String> response = gateway.get(HELLO, "/", Map.of("Authorization", "Bearer " + token));

        assertThat(response.statusCode() + " " + response.body().strip()).isEqualTo("200 " + HELLO_TEXT);
    }

    @Test
    void helloAnswers401WithATamperedToken() {
        String token = logIn("john");
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"login\":\"john\"");
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replace("\"login\":\"john\"", "\"login\":\"admin\"").getBytes(StandardCharsets.UTF_8));
        String tampered = parts[0] + "." + forged + "." + parts[2];

        HttpResponse<String> response = gateway.get(HELLO, "/", Map.of("Authorization", "Bearer " + tampered));

        assertThat(response.statusCode()).as("status of a tampered token; body: %s", response.body()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("Jwt verification fails");
    }

    /** {@code curl -H 'Host: auth...' -d '{"login": "john"}' gateway/login}: the token of "JWT token: ...". */
    private String logIn(String login) {
        String[] body = {""};
        Eventually.await("POST /login on " + AUTH + " issues a token", Duration.ofSeconds(20), () -> {
            HttpResponse<String> response = gateway.post(AUTH, "/login",
                    Map.of("Content-Type", "application/json"), "{\"login\": \"" + login + "\"}");
            body[0] = response.body().strip();
            return new Observation(response.statusCode() == 200 && body[0].startsWith(TOKEN_PREFIX),
                    response.statusCode() + " " + body[0]);
        });
        return body[0].substring(TOKEN_PREFIX.length()).strip();
    }
}
