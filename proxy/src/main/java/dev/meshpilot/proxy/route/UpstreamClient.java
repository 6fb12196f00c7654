package dev.meshpilot.proxy.route;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.proxy.endpoint.Endpoint;
import dev.meshpilot.proxy.identity.SpiffeId;
import dev.meshpilot.proxy.internal.Headers;
import dev.meshpilot.proxy.tls.ClientTls;
import dev.meshpilot.proxy.tls.ProxyIdentity;
import dev.meshpilot.proxy.tls.UpstreamTls;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The pooled keep-alive HTTP/1.1 client a proxy forwards with. The original authority travels in
 * {@code x-forwarded-host} (the client sets {@code Host} to the endpoint's address).
 */
public final class UpstreamClient implements AutoCloseable {

    public static final String FORWARDED_HOST = "x-forwarded-host";

    /** Parsed request URIs seen before starts over past this many (paths are unbounded). */
    private static final int MAX_CACHED_URIS = 1024;

    private final HttpClient client;
    /** Mutual TLS to mesh endpoints; null for a proxy without a workload identity (plaintext only). */
    private final @Nullable UpstreamTls tls;
    /** {@code http://host:port/path} → its parsed URI: requests repeat paths, parsing each one is wasted. */
    private final ConcurrentMap<String, URI> uris = new ConcurrentHashMap<>();

    public UpstreamClient(Executor executor) {
        this(executor, null);
    }

    /** @param identity this proxy's workload identity for mutual TLS to mesh endpoints; null = plaintext only */
    public UpstreamClient(Executor executor, @Nullable ProxyIdentity identity) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).executor(requireNonNull(executor, "executor")).build();
        this.tls = identity == null ? null : new UpstreamTls(identity, executor, Duration.ofSeconds(2));
    }

    /** The client TLS toward a mesh destination ({@link UpstreamTls#decide}); plaintext without an identity. */
    public ClientTls tls(MeshSnapshot snapshot, ProxyRef self, String host, @Nullable String subset, int port,
            int targetPort, List<Endpoint> cluster) {
        return tls == null ? ClientTls.PLAINTEXT
                : tls.decide(snapshot, self.namespace(), host, subset, port, targetPort, cluster);
    }

    /** Sends one try; never throws for network failures, they are an {@link Outcome}. */
    public Outcome send(InetSocketAddress target, String method, String authority, String path,
            Map<String, List<String>> headers, byte[] body, Duration timeout) throws InterruptedException {
        return send(target, method, authority, path, headers, body, timeout, false);
    }

    /**
     * One try; to a host outside the mesh ({@code external}) without {@code x-forwarded-host}, and with the original
     * {@code Host} when the target is an address other than the authority's host and the JDK allows setting it
     * ({@code -Djdk.httpclient.allowRestrictedHeaders=host}).
     */
    public Outcome send(InetSocketAddress target, String method, String authority, String path,
            Map<String, List<String>> headers, byte[] body, Duration timeout, boolean external)
            throws InterruptedException {
        return send(target, null, method, authority, path, headers, body, timeout, external);
    }

    /** One try, over mutual TLS when {@code peers} (the identities the server must prove) is not null. */
    public Outcome send(InetSocketAddress target, @Nullable Set<SpiffeId> peers, String method, String authority,
            String path, Map<String, List<String>> headers, byte[] body, Duration timeout, boolean external)
            throws InterruptedException {
        boolean mutual = peers != null && tls != null;
        URI uri = uri((mutual ? "https://" : "http://") + target.getHostString() + ":" + target.getPort() + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, body.length == 0 && !method.equals("POST") && !method.equals("PUT")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        Headers.copy(headers, (name, value) -> {
            if (!name.equals(FORWARDED_HOST)) {
                request.header(name, value);
            }
        });
        if (!external) {
            request.header(FORWARDED_HOST, authority);
        } else if (!authority.startsWith(target.getHostString() + ":") && !authority.equals(target.getHostString())) {
            try {
                request.header("Host", authority);
            } catch (IllegalArgumentException restricted) {
                // the JDK keeps Host to itself unless allowed: the target's address goes out as Host
            }
        }
        try {
            HttpClient http = mutual ? tls.client(peers) : client;
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Outcome(Failure.NONE, response, null);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            return new Outcome(Failure.CONNECT, null, e.toString());
        } catch (HttpTimeoutException e) {
            return new Outcome(Failure.TIMEOUT, null, e.toString());
        } catch (IOException e) {
            return new Outcome(Failure.RESET, null, e.toString());
        }
    }

    private URI uri(String text) {
        URI uri = uris.get(text);
        if (uri == null) {
            uri = URI.create(text);
            if (uris.size() >= MAX_CACHED_URIS) {
                uris.clear();
            }
            uris.put(text, uri);
        }
        return uri;
    }

    @Override
    public void close() {
        client.shutdownNow();
        if (tls != null) {
            tls.close();
        }
    }

    public enum Failure { NONE, CONNECT, TIMEOUT, RESET }

    /** The response of one try, or why there was none. */
    public record Outcome(Failure failure, @Nullable HttpResponse<byte[]> response, @Nullable String error) {}
}
