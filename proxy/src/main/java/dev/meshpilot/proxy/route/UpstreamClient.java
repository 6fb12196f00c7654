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
import dev.meshpilot.proxy.upstream.AsyncHttp1Client;
import dev.meshpilot.proxy.upstream.Http1Client;
import dev.meshpilot.proxy.upstream.RequestHead;
import dev.meshpilot.proxy.upstream.UpstreamResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.xnio.XnioIoThread;

/**
 * The pooled keep-alive HTTP/1.1 client a proxy forwards with ({@link Http1Client}: blocking sockets used from the
 * request's virtual thread). The original authority travels in {@code x-forwarded-host} (the client sets
 * {@code Host} to the endpoint's address). Hop-by-hop headers are never forwarded.
 */
public final class UpstreamClient implements AutoCloseable {

    public static final String FORWARDED_HOST = "x-forwarded-host";

    /** Methods sent again once when their pooled connection turns out to be closed by the peer. */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

    /**
     * Whether an external request may carry its original authority as {@code Host} when it goes to another address:
     * kept from the java.net.http days, where the JDK allowed it with {@code -Djdk.httpclient.allowRestrictedHeaders=host}.
     */
    private static final boolean HOST_ALLOWED = java.util.Arrays.stream(
            System.getProperty("jdk.httpclient.allowRestrictedHeaders", "").split(","))
            .anyMatch(h -> h.trim().equalsIgnoreCase("host"));

    private final Http1Client http = new Http1Client();
    private final AsyncHttp1Client async = new AsyncHttp1Client();
    /** Mutual TLS to mesh endpoints; null for a proxy without a workload identity (plaintext only). */
    private final @Nullable UpstreamTls tls;

    /** Pooled mutual-TLS connections are kept apart by the identities their server proved. */
    private record TlsKey(InetSocketAddress address, Set<SpiffeId> peers) {}

    public UpstreamClient(Executor executor) {
        this(executor, null);
    }

    /** @param identity this proxy's workload identity for mutual TLS to mesh endpoints; null = plaintext only */
    public UpstreamClient(Executor executor, @Nullable ProxyIdentity identity) {
        requireNonNull(executor, "executor"); // requests run on the caller's (virtual) thread
        this.tls = identity == null ? null : new UpstreamTls(identity);
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
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean mutual = peers != null && tls != null;
        RequestHead request = request(target, mutual, method, authority, path, headers, body, external);
        byte[] bytes = request.finish(body);
        try {
            UpstreamResponse response = mutual
                    ? http.send(target, new TlsKey(target, peers), tls.context(peers), bytes, request.length(),
                            method.equals("HEAD"), IDEMPOTENT.contains(method), deadline)
                    : http.send(target, target, null, bytes, request.length(), method.equals("HEAD"),
                            IDEMPOTENT.contains(method), deadline);
            return new Outcome(Failure.NONE, response, null);
        } catch (Http1Client.RequestException e) {
            return failed(e);
        }
    }

    /**
     * One try without blocking ({@link AsyncHttp1Client}), on {@code thread}, the I/O thread of the downstream
     * exchange, to a resolved {@code target}, over mutual TLS when {@code peers} is not null; {@code done} gets the
     * outcome on that thread.
     */
    public void sendAsync(XnioIoThread thread, InetSocketAddress target, @Nullable Set<SpiffeId> peers, String method,
            String authority, String path, Map<String, List<String>> headers, byte[] body, Duration timeout,
            boolean external, Consumer<Outcome> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean mutual = peers != null && tls != null;
        RequestHead request = request(target, mutual, method, authority, path, headers, body, external);
        byte[] bytes = request.finish(body);
        async.send(thread, target, mutual ? new TlsKey(target, peers) : target, mutual ? tls.context(peers) : null,
                bytes, request.length(), method.equals("HEAD"), IDEMPOTENT.contains(method),
                deadline, new AsyncHttp1Client.Callback() {
                    @Override
                    public void completed(UpstreamResponse response) {
                        done.accept(new Outcome(Failure.NONE, response, null));
                    }

                    @Override
                    public void failed(Http1Client.RequestException e) {
                        done.accept(UpstreamClient.failed(e));
                    }
                });
    }

    private static RequestHead request(InetSocketAddress target, boolean mutual, String method, String authority,
            String path, Map<String, List<String>> headers, byte[] body, boolean external) {
        RequestHead request = new RequestHead(method, path);
        String address = target.getHostString();
        if (external && !authority.startsWith(address + ":") && !authority.equals(address) && HOST_ALLOWED) {
            request.header("Host", authority);
        } else {
            int port = target.getPort();
            request.header("Host", port == (mutual ? 443 : 80) ? address : address + ":" + port);
        }
        Headers.copy(headers, (name, value) -> {
            if (!name.equals(FORWARDED_HOST)) {
                request.header(name, value);
            }
        });
        if (!external) {
            request.header(FORWARDED_HOST, authority);
        }
        if (body.length > 0 || method.equals("POST") || method.equals("PUT")) {
            request.header("Content-Length", Integer.toString(body.length));
        }
        return request;
    }

    private static Outcome failed(Http1Client.RequestException e) {
        Failure failure = switch (e.failure()) {
            case CONNECT -> Failure.CONNECT;
            case TIMEOUT -> Failure.TIMEOUT;
            case RESET -> Failure.RESET;
        };
        return new Outcome(failure, null, e.getMessage());
    }

    @Override
    public void close() {
        http.close();
        async.close();
    }

    public enum Failure { NONE, CONNECT, TIMEOUT, RESET }

    /** The response of one try, or why there was none. */
    public record Outcome(Failure failure, @Nullable UpstreamResponse response, @Nullable String error) {}
}
