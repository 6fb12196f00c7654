package dev.meshpilot.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.console.runtime.MeshPorts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code meshpilot logs default/hello} against the whole application: requests through the gateway show up in
 * the sidecar access log served by {@code GET /api/logs/...} and printed by the CLI.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class LogsApiTest {

    static final String PASSWORD = "logs-admin-password";

    @TempDir
    static Path data;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        EmbeddedRuntimeProperties.register(registry, data, PASSWORD);
    }

    @Autowired
    MeshPorts ports;

    private MeshpilotHttp http;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void connect() {
        http = new MeshpilotHttp(ports.consolePort(), ports.gatewayPort(), "admin", PASSWORD);
        MeshpilotHttp.poll(Duration.ofSeconds(30), () -> http.gateway("hello.example.com", "/").statusCode(),
                status -> status == 200, "the gateway to serve hello.example.com");
    }

    @Test
    void theApiReturnsTheSidecarAccessLogOfADeployment() {
        String path = "/logs-api-" + UUID.randomUUID();

        // the seed splits hello.example.com 90/10 between hello and hello-v2: ask again until hello served one
        HttpResponse<String> response = MeshpilotHttp.poll(Duration.ofSeconds(20), () -> {
            assertThat(http.gateway("hello.example.com", path).statusCode()).isEqualTo(200);
            return http.console("/api/logs/default/hello?tail=50", true);
        },
                r -> r.statusCode() == 200 && r.body().contains(path), "the request in hello's log").value();

        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        List<String> lines = response.body().lines().filter(line -> line.contains(path)).toList();
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("{")
                .contains("\"reporter\":\"destination\"", "\"response_code\":200"));
        assertThat(http.console("/api/logs/default/hello?tail=1", true).body().lines()).hasSize(1);
        assertThat(http.console("/api/logs/istio-system/istio-ingressgateway?tail=200", true).body().lines())
                .anySatisfy(line -> assertThat(line).contains(path, "\"reporter\":\"gateway\""));
    }

    @Test
    void theApiAnswers404ForAnUnknownDeployment400ForABadTailAnd401WithoutCredentials() {
        HttpResponse<String> unknown = http.console("/api/logs/default/nope", true);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("default/nope not found");

        HttpResponse<String> badTail = http.console("/api/logs/default/hello?tail=0", true);
        assertThat(badTail.statusCode()).isEqualTo(400);
        assertThat(badTail.body()).contains("tail: 0 (expected: 1..10000)");

        assertThat(http.console("/api/logs/default/hello", false).statusCode()).isEqualTo(401);
    }

    @Test
    void theLogsCommandPrintsTheLinesOfTheRunningInstance() {
        String path = "/logs-cli-" + UUID.randomUUID();

        MeshpilotHttp.poll(Duration.ofSeconds(20), () -> {
            assertThat(http.gateway("hello.example.com", path).statusCode()).isEqualTo(200);
            out.reset();
            return run(Map.of("MESHPILOT_ADMIN_PASSWORD", PASSWORD), "logs", "default/hello", "--tail", "200",
                    "--url", consoleUrl());
        }, exit -> exit == 0 && out.toString(StandardCharsets.UTF_8).contains(path), "the request in hello's log");

        assertThat(out.toString(StandardCharsets.UTF_8).lines())
                .allSatisfy(line -> assertThat(line).startsWith("{\"start_time\":"));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void theLogsCommandFailsWithExitCode1ForAnUnknownDeploymentOrAWrongPassword() {
        int unknown = run(Map.of("MESHPILOT_ADMIN_PASSWORD", PASSWORD), "logs", "default/nope", "--url", consoleUrl());

        assertThat(unknown).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("HTTP 404", "default/nope not found");

        err.reset();
        int refused = run(Map.of("MESHPILOT_ADMIN_PASSWORD", "wrong"), "logs", "default/hello", "--url", consoleUrl());

        assertThat(refused).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("refused user admin (HTTP 401");
    }

    private String consoleUrl() {
        return "http://127.0.0.1:" + ports.consolePort();
    }

    private int run(Map<String, String> env, String... args) {
        return Meshpilot.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
