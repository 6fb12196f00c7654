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

/** Sends requests through the ingress gateway as {@code curl -H 'Host: ...' localhost:8081/} would. */
public final class GatewayClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int port;

    public GatewayClient(int port) {
        this.port = port;
    }

    public HttpResponse<String> get(String host, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15));
        if (host != null) {
            request.header("Host", host); // needs -Djdk.httpclient.allowRestrictedHeaders=host
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + host + path + " via the gateway failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code count} requests and counts the answers by "status body". */
    public Map<String, Integer> answers(String host, String path, int count) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> response = get(host, path);
            counts.merge(response.statusCode() + " " + response.body().strip(), 1, Integer::sum);
        }
        return new LinkedHashMap<>(counts);
    }
}
