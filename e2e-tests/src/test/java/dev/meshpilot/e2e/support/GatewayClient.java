package dev.meshpilot.e2e.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Sends requests through the ingress gateway as {@code curl -H 'Host: ...' localhost:8081/} would. */
public final class GatewayClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int port;

    public GatewayClient(int port) {
        this.port = port;
    }

    /** {@code host} null: no Host header of our own (the client sends {@code 127.0.0.1:PORT}). */
    public HttpResponse<String> get(@Nullable String host, String path) {
        return get(host, path, Map.of());
    }

    /** {@code curl -H 'Host: host' -H 'Name: value'... localhost:PORT/path}. */
    public HttpResponse<String> get(@Nullable String host, String path, Map<String, String> headers) {
        return send(request(host, path, headers).GET(), "GET " + host + path);
    }

    /** {@code curl -X POST -H 'Host: host' -d body localhost:PORT/path}. */
    public HttpResponse<String> post(String host, String path, Map<String, String> headers, String body) {
        return send(request(host, path, headers).POST(HttpRequest.BodyPublishers.ofString(body)),
                "POST " + host + path);
    }

    /** Sends {@code count} requests and counts the answers by "status body". */
    public Map<String, Integer> answers(String host, String path, int count) {
        return answers(host, path, Map.of(), count);
    }

    /** Sends {@code count} requests with {@code headers} and counts the answers by "status body". */
    public Map<String, Integer> answers(String host, String path, Map<String, String> headers, int count) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> response = get(host, path, headers);
            counts.merge(response.statusCode() + " " + response.body().strip(), 1, Integer::sum);
        }
        return new LinkedHashMap<>(counts);
    }

    private HttpRequest.Builder request(@Nullable String host, String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15));
        if (host != null) {
            request.header("Host", host); // needs -Djdk.httpclient.allowRestrictedHeaders=host
        }
        headers.forEach(request::header);
        return request;
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String description) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(description + " via the gateway failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
