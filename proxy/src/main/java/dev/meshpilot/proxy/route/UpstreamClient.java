package dev.meshpilot.proxy.route;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.proxy.endpoint.Endpoint;
import dev.meshpilot.proxy.identity.SpiffeId;
import dev.meshpilot.proxy.internal.Headers;
import dev.meshpilot.policy.route.ClientTls;
import dev.meshpilot.proxy.tls.Origination;
import dev.meshpilot.proxy.tls.Originations;
import dev.meshpilot.proxy.tls.ProxyIdentity;
import dev.meshpilot.proxy.tls.UpstreamTls;
import dev.meshpilot.proxy.upstream.AsyncHttp1Client;
import dev.meshpilot.proxy.upstream.Http1Client;
import dev.meshpilot.proxy.upstream.RequestHead;
import dev.meshpilot.proxy.upstream.UpstreamResponse;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.concurrent.Executor;
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

    private final Http1Client http = new Http1Client();
    private final AsyncHttp1Client async = new AsyncHttp1Client();
    /** Mutual TLS to mesh endpoints; null for a proxy without a workload identity (plaintext only). */
    private final @Nullable UpstreamTls tls;
    /** TLS origination (DestinationRule SIMPLE / MUTUAL). */
    private final Originations originations;

    /** Pooled mutual-TLS connections are kept apart by the identities their server proved. */
    private record TlsKey(InetSocketAddress address, Set<SpiffeId> peers) {}

    /** Pooled originated-TLS connections are kept apart by their TLS settings. */
    private record OriginKey(InetSocketAddress address, Origination origination) {}

    public UpstreamClient(Executor executor) {
        this(executor, null);
    }

    /** @param identity this proxy's workload identity for mutual TLS to mesh endpoints; null = plaintext only */
    public UpstreamClient(Executor executor, @Nullable ProxyIdentity identity) {
        this(executor, identity, null);
    }

    /**
     * @param identity    this proxy's workload identity for mutual TLS to mesh endpoints; null = plaintext only
     * @param credentials where DestinationRule {@code tls.credentialName}s are looked up ({@code <data>/credentials});
     *                    null: a credentialName cannot be used
     */
    public UpstreamClient(Executor executor, @Nullable ProxyIdentity identity, @Nullable Path credentials) {
        requireNonNull(executor, "executor"); // requests run on the caller's (virtual) thread
        this.tls = identity == null ? null : new UpstreamTls(identity);
        this.originations = new Originations(credentials);
    }

    /**
     * The TLS origination toward {@code host} for a proxy of {@code namespace} ({@code tls.mode} SIMPLE or MUTUAL,
     * see {@link Originations}).
     */
    public Origination originate(ClientTls tls, String namespace, String host) {
        return originations.of(tls, namespace, host);
    }

    /** The client TLS toward a mesh destination ({@link UpstreamTls#decide}); plaintext without an identity. */
    public dev.meshpilot.proxy.tls.ClientTls tls(MeshSnapshot snapshot, ProxyRef self, String host,
            @Nullable String subset, int port,
            int targetPort, List<Endpoint> cluster) {
        return tls == null ? dev.meshpilot.proxy.tls.ClientTls.PLAINTEXT
                : tls.decide(snapshot, self.namespace(), host, subset, port, targetPort, cluster);
    }

    /** Sends one try; never throws for network failures, they are an {@link Outcome}. */
    public Outcome send(InetSocketAddress target, String method, String authority, String path,
            Map<String, List<String>> headers, byte[] body, Duration timeout) throws InterruptedException {
        return send(target, method, authority, path, headers, body, timeout, false);
    }

    /**
     * One try; to a host outside the mesh ({@code external}) with the original authority as {@code Host} (as Envoy
     * forwards it: a virtual-hosted server sees the name the workload called, not the address it was resolved to)
     * and without {@code x-forwarded-host}.
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
        return send(target, peers, null, method, authority, path, headers, body, timeout, external);
    }

    /**
     * One try over originated TLS ({@code origination}); an origination that cannot be used fails as a connect
     * failure with its reason as {@link Outcome#transportFailure()}, nothing is sent.
     */
    public Outcome sendOriginating(InetSocketAddress target, Origination origination, String method, String authority,
            String path, Map<String, List<String>> headers, byte[] body, Duration timeout, boolean external)
            throws InterruptedException {
        requireNonNull(origination, "origination");
        if (origination.error() != null) {
            return new Outcome(Failure.CONNECT, null, origination.error(), origination.error());
        }
        return send(target, null, origination, method, authority, path, headers, body, timeout, external);
    }

    /** One try: over originated TLS when {@code origination} is not null, else as {@link #send}. */
    public Outcome sendTry(InetSocketAddress target, @Nullable Origination origination, @Nullable Set<SpiffeId> peers,
            String method, String authority, String path, Map<String, List<String>> headers, byte[] body,
            Duration timeout, boolean external) throws InterruptedException {
        return origination != null
                ? sendOriginating(target, origination, method, authority, path, headers, body, timeout, external)
                : send(target, peers, null, method, authority, path, headers, body, timeout, external);
    }

    private Outcome send(InetSocketAddress target, @Nullable Set<SpiffeId> peers, @Nullable Origination origination,
            String method, String authority, String path, Map<String, List<String>> headers, byte[] body,
            Duration timeout, boolean external) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean mutual = peers != null && tls != null && origination == null;
        RequestHead request = request(target, mutual || origination != null, method, authority, path, headers, body,
                external);
        byte[] bytes = request.finish(body);
        try {
            UpstreamResponse response;
            if (origination != null) {
                response = http.send(target, new OriginKey(target, origination), origination.context(),
                        origination.sni(), bytes, request.length(), method.equals("HEAD"), IDEMPOTENT.contains(method),
                        deadline);
            } else if (mutual) {
                response = http.send(target, new TlsKey(target, peers), tls.context(peers), bytes, request.length(),
                        method.equals("HEAD"), IDEMPOTENT.contains(method), deadline);
            } else {
                response = http.send(target, target, null, bytes, request.length(), method.equals("HEAD"),
                        IDEMPOTENT.contains(method), deadline);
            }
            return new Outcome(Failure.NONE, response, null);
        } catch (Http1Client.RequestException e) {
            return failed(e, origination != null);
        }
    }

    /**
     * One plaintext try without blocking ({@link AsyncHttp1Client}), on {@code thread}, the I/O thread of the
     * downstream exchange, to a resolved {@code target}; {@code done} gets the outcome on that thread. Tries over TLS
     * (mutual or originated) go through the blocking {@link #sendTry}: the non-blocking client's TLS stalled exchanges
     * under load (see the README).
     */
    public void sendAsync(XnioIoThread thread, InetSocketAddress target, String method, String authority, String path,
            Map<String, List<String>> headers, byte[] body, Duration timeout, boolean external,
            Consumer<Outcome> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RequestHead request = request(target, false, method, authority, path, headers, body, external);
        byte[] bytes = request.finish(body);
        async.send(thread, target, target, null, bytes, request.length(), method.equals("HEAD"),
                IDEMPOTENT.contains(method), deadline, new AsyncHttp1Client.Callback() {
                    @Override
                    public void completed(UpstreamResponse response) {
                        done.accept(new Outcome(Failure.NONE, response, null));
                    }

                    @Override
                    public void failed(Http1Client.RequestException e) {
                        done.accept(UpstreamClient.failed(e, false));
                    }
                });
    }

    /** The request head; {@code tls}: the connection is TLS (Host without port 443 then, else without port 80). */
    private static RequestHead request(InetSocketAddress target, boolean tls, String method, String authority,
            String path, Map<String, List<String>> headers, byte[] body, boolean external) {
        RequestHead request = new RequestHead(method, path);
        if (external) {
            request.header("Host", authority);
        } else {
            String address = target.getHostString();
            int port = target.getPort();
            request.header("Host", port == (tls ? 443 : 80) ? address : address + ":" + port);
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

    /** {@code originated}: a TLS failure of originated TLS is a connect failure with its reason. */
    private static Outcome failed(Http1Client.RequestException e, boolean originated) {
        String transport = originated ? e.transportFailure() : null;
        Failure failure = transport != null ? Failure.CONNECT : switch (e.failure()) {
            case CONNECT -> Failure.CONNECT;
            case TIMEOUT -> Failure.TIMEOUT;
            case RESET -> Failure.RESET;
        };
        return new Outcome(failure, null, e.getMessage(), transport);
    }

    @Override
    public void close() {
        http.close();
        async.close();
    }

    public enum Failure { NONE, CONNECT, TIMEOUT, RESET }

    /**
     * The response of one try, or why there was none.
     *
     * @param transportFailure why originated TLS failed (a certificate refused, an alert from the server, a
     *                         certificate file that cannot be used), as Envoy's
     *                         {@code upstream_transport_failure_reason}; such a try is a connect failure
     */
    public record Outcome(Failure failure, @Nullable UpstreamResponse response, @Nullable String error,
            @Nullable String transportFailure) {

        public Outcome(Failure failure, @Nullable UpstreamResponse response, @Nullable String error) {
            this(failure, response, error, null);
        }

        /** The body of a connect failure or reset at {@code endpoint}: Envoy's words for a TLS failure (503). */
        public String failureMessage(String endpoint) {
            return transportFailure == null ? "upstream connect failure at " + endpoint + ": " + error
                    : "upstream connect error or disconnect/reset before headers. reset reason: connection failure, "
                            + "transport failure reason: TLS error: " + transportFailure;
        }
    }
}
