package dev.meshpilot.proxy.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.proxy.testing.Eventually;
import dev.meshpilot.proxy.testing.GatewayClient;
import dev.meshpilot.proxy.testing.Tutorial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tutorial 7.9 with the unchanged helloworld-jwt.yaml + helloworld-jwt-enable.yaml: hello answers only with a token
 * from the auth service's {@code /login}; its sidecar fetches the JWKS through the mesh.
 */
class FleetJwtTutorialTest {

    static final String HELLO = "hello.kubernetes.newtech.academy";
    static final String AUTH = "auth.kubernetes.newtech.academy";
    static final String HELLO_TEXT = "Hello, you can only reach this service when authenticated";

    private EmbeddedFleet fleet;
    private GatewayClient client;
    private HttpClient poster;

    @BeforeEach
    void start() {
        fleet = new EmbeddedFleet(FleetOptions.localhost());
        fleet.start();
        client = new GatewayClient(fleet.gatewayPort());
        poster = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", fleet.gatewayPort()))).build();
    }

    @AfterEach
    void stop() {
        poster.close();
        client.close();
        fleet.close();
    }

    private String login() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + AUTH + "/login"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"login\":\"edward\",\"password\":\"any\"}")).build();
        try {
            HttpResponse<String> response = poster.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).startsWith("JWT token: ");
            return response.body().substring("JWT token: ".length()).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> hello(String token) {
        return client.get(HELLO, "/", Map.of("Authorization", "Bearer " + token));
    }

    @Test
    void helloWithoutATokenIs401() {
        fleet.apply(Tutorial.snapshot("jwt", "helloworld-jwt.yaml", "helloworld-jwt-enable.yaml"));
        HttpResponse<String> response = client.get(HELLO, "/");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("Jwt verification fails");
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(fleet.logs("default", "hello")).anySatisfy(line ->
                assertThat(line).contains("\"response_code\":401").contains("\"authz_policy\":\"default/jwt-example\"")
                        .contains("\"authz_reason\":\"Jwt is missing (legacy Policy default/jwt-example requires a token"
                                + " of http-echo@http-echo.kubernetes.newtech.academy)\"")));
    }

    @Test
    void helloWithATokenFromLoginAnswersAndTheJwksCameThroughTheGateway() {
        fleet.apply(Tutorial.snapshot("jwt", "helloworld-jwt.yaml", "helloworld-jwt-enable.yaml"));
        HttpResponse<String> response = hello(login());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(HELLO_TEXT);
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(fleet.gatewayLogs(20)).anySatisfy(line ->
                assertThat(line).contains("\"authority\":\"" + AUTH + "\"")
                        .contains("\"path\":\"/.well-known/jwks.json\"").contains("\"response_code\":200")));
    }

    @Test
    void helloWithATamperedTokenIs401() {
        fleet.apply(Tutorial.snapshot("jwt", "helloworld-jwt.yaml", "helloworld-jwt-enable.yaml"));
        String[] parts = login().split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]))
                .replace("\"login\":\"edward\"", "\"login\":\"admin\"");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes()) + "." + parts[2];
        assertThat(forged).isNotEqualTo(String.join(".", parts));
        HttpResponse<String> response = hello(forged);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("Jwt verification fails");
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(fleet.logs("default", "hello")).anySatisfy(line ->
                assertThat(line).contains("\"response_code\":401")
                        .contains("\"authz_reason\":\"Jwt verification fails\"")));
    }

    @Test
    void jwksOfAServiceHostIsFetchedThroughTheSidecarsOwnOutboundListener() {
        String enable = Tutorial.read("helloworld-jwt-enable.yaml").replace(
                "http://auth.kubernetes.newtech.academy/.well-known/jwks.json",
                "http://auth.default.svc.cluster.local:8080/.well-known/jwks.json");
        fleet.apply(Tutorial.compile("jwt-svc", List.of(
                new SourceFile("helloworld-jwt.yaml", Tutorial.read("helloworld-jwt.yaml")),
                new SourceFile("helloworld-jwt-enable.yaml", enable))));
        HttpResponse<String> response = hello(login());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(fleet.logs("default", "hello")).anySatisfy(line ->
                assertThat(line).contains("\"reporter\":\"source\"")
                        .contains("\"authority\":\"auth.default.svc.cluster.local:8080\"")
                        .contains("\"path\":\"/.well-known/jwks.json\"").contains("\"response_code\":200")));
        assertThat(fleet.gatewayLogs(20)).noneMatch(line -> line.contains("jwks.json"));
    }
}
