package dev.meshpilot.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Predicate;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A program's view of a running Meshpilot: the REST API with basic auth, the gateway, polling. */
final class MeshpilotHttp {

    static {
        // lets the client send the Host header of the gateway's virtual hosts (set by surefire too)
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int consolePort;
    private final int gatewayPort;
    private final String authorization;

    MeshpilotHttp(int consolePort, int gatewayPort, String user, String password) {
        this.consolePort = consolePort;
        this.gatewayPort = gatewayPort;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> console(String path, boolean authenticated) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + consolePort + path))
                .timeout(Duration.ofSeconds(10));
        if (authenticated) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    /** {@code GET /api/sync/{commitId}} until the commit has been synced. */
    JsonNode awaitSync(String commitId) {
        return poll(Duration.ofSeconds(30), () -> console("/api/sync/" + commitId, true),
                response -> response.statusCode() == 200, "sync of " + commitId)
                .transform(response -> JsonMapper.shared().readTree(response.body()));
    }

    HttpResponse<String> gateway(String host, String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + path))
                .header("Host", host)
                .timeout(Duration.ofSeconds(10))
                .build());
    }

    /** Calls {@code action} until {@code done} holds, failing after the deadline with the last result. */
    static <T> Result<T> poll(Duration deadline, Supplier<T> action, Predicate<T> done, String what) {
        Instant end = Instant.now().plus(deadline);
        T last = action.get();
        while (!done.test(last)) {
            assertThat(Instant.now()).as("waiting for %s; last: %s", what, describe(last)).isBefore(end);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            last = action.get();
        }
        return new Result<>(last);
    }

    record Result<T>(T value) {
        <R> R transform(java.util.function.Function<T, R> function) {
            return function.apply(value);
        }
    }

    private static String describe(Object value) {
        return value instanceof HttpResponse<?> response ? response.statusCode() + " " + response.body() : String.valueOf(value);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
