package dev.meshpilot.proxy.jwt;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Fetches the JWK set at a RequestAuthentication's {@code jwksUri}; the sidecar supplies one that uses the mesh. */
@FunctionalInterface
public interface JwksFetcher {

    /**
     * The document at {@code uri}, within {@code timeout}.
     *
     * @throws IOException on any failure (unreachable, timeout, non-200 answer)
     */
    String fetch(URI uri, Duration timeout) throws IOException, InterruptedException;

    /** A fetcher that asks {@code client} directly with {@code GET}; only a 200 answer counts. */
    static JwksFetcher http(HttpClient client) {
        requireNonNull(client, "client");
        return (uri, timeout) -> {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
                    .GET().build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(
                    StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new IOException(uri + " answered " + response.statusCode());
            }
            return response.body();
        };
    }
}
