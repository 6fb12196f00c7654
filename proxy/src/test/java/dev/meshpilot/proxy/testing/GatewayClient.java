package dev.meshpilot.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Sends requests to the ingress gateway with any Host header: the gateway is used as the client's HTTP proxy,
 * so the request line is absolute-form and {@code Host} is the URI's authority.
 */
public final class GatewayClient implements AutoCloseable {

    private final HttpClient client;

    public GatewayClient(int gatewayPort) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", gatewayPort))).build();
    }

    public HttpResponse<String> get(String host, String path) {
        return get(host, path, Map.of());
    }

    public HttpResponse<String> get(String host, String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + path))
                .timeout(Duration.ofSeconds(20));
        headers.forEach(request::header);
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
