package dev.meshpilot.proxy.internal;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 clients for a proxy's own calls through the mesh (JWKS, external authorizers): one per HTTP proxy they go
 * through (the sidecar's outbound listener, the ingress gateway) or one direct, made once and kept; no redirects
 * followed, 2 s to connect.
 */
public final class ProxiedClients implements AutoCloseable {

    private final @Nullable Executor executor;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    /** @param executor where the clients run their work; null for the JDK's default */
    public ProxiedClients(@Nullable Executor executor) {
        this.executor = executor;
    }

    /** The client that sends through {@code proxy} (an HTTP proxy), or directly when it is null. */
    public HttpClient via(@Nullable InetSocketAddress proxy) {
        String key = proxy == null ? "direct" : proxy.getHostString() + ":" + proxy.getPort();
        return clients.computeIfAbsent(key, k -> {
            HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER);
            if (executor != null) {
                builder.executor(executor);
            }
            if (proxy != null) {
                builder.proxy(ProxySelector.of(proxy));
            }
            return builder.build();
        });
    }

    @Override
    public void close() {
        clients.values().forEach(HttpClient::shutdownNow);
        clients.clear();
    }
}
