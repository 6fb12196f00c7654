package dev.meshpilot.proxy.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.security.JwtRule;
import dev.meshpilot.proxy.echo.EchoKeys;
import dev.meshpilot.proxy.echo.HttpEcho;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EchoTokenVerificationTest {

    private static final String ISSUER = "http-echo@http-echo.kubernetes.newtech.academy";

    @Test
    void tokenFromEchoLoginVerifiesAgainstItsWellKnownJwksAndNotAnotherDeployments() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient();
                HttpEcho auth = new HttpEcho("127.0.0.1", Map.of("TEXT", "auth"), null,
                        EchoKeys.forDeployment("jwt-test", "auth"));
                HttpEcho other = new HttpEcho("127.0.0.1", Map.of("TEXT", "other"), null,
                        EchoKeys.forDeployment("jwt-test", "other"))) {
            String base = "http://127.0.0.1:" + auth.address().getPort();
            HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"login\": \"edward\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.body()).startsWith("JWT token: ");
            String token = login.body().substring("JWT token: ".length());
            JwtAuthenticator authenticator = new JwtAuthenticator(JwksFetcher.http(client));
            JwtRule rule = new JwtRule("default/auth", ISSUER, base + "/.well-known/jwks.json", List.of());
            JwtResult result = authenticator.authenticate(List.of(rule),
                    Map.of("Authorization", List.of("Bearer " + token)), null);
            assertThat(result.status()).isEqualTo(JwtResult.Status.VALID);
            assertThat(result.requestPrincipal()).isEqualTo(ISSUER + "/" + ISSUER);
            assertThat(result.claims()).containsEntry("login", "edward");

            JwtRule otherKeys = new JwtRule("default/auth", ISSUER,
                    "http://127.0.0.1:" + other.address().getPort() + "/.well-known/jwks.json", List.of());
            assertThat(authenticator.authenticate(List.of(otherKeys),
                    Map.of("Authorization", List.of("Bearer " + token)), null).reason())
                    .isEqualTo("Jwt verification fails");
        }
    }
}
