package dev.meshpilot.proxy.route;

import dev.meshpilot.proxy.endpoint.Endpoint;
import dev.meshpilot.proxy.internal.Exchanges;
import dev.meshpilot.proxy.tls.ClientTls;
import dev.meshpilot.proxy.tls.Origination;
import io.undertow.server.HttpServerExchange;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The mutable record of one request while it is routed; becomes one access-log line. */
final class Attempt {
    final Instant time;
    final String method;
    /** The authority and path forwarded upstream (a rewrite changes them); the log shows {@link #originalPath}. */
    String authority;
    String path;
    final String originalPath;
    /** Whether fault injection delayed this request (response flag {@code DI}). */
    boolean faultDelayed;
    String requestId = "";
    @Nullable String policy;
    @Nullable String traceId;
    @Nullable String routeName;
    @Nullable String cluster;
    @Nullable String service;
    @Nullable Endpoint endpoint;
    @Nullable String upstreamHost;
    @Nullable String peerIdentity;
    /** The client TLS toward the destination's endpoints; null for hosts outside the mesh (plaintext). */
    @Nullable ClientTls tls;
    /** TLS origination toward the destination (DestinationRule SIMPLE / MUTUAL); wins over {@link #tls}. */
    @Nullable Origination origination;
    /** Why originated TLS failed on the last try (access-log field {@code upstream_transport_failure_reason}). */
    @Nullable String transportFailure;
    int status;
    String flags = "-";
    long bytesReceived;
    long bytesSent;
    long durationMillis;
    /** The load balancer of this request; closed when the request is done. */
    @Nullable LoadBalancers.Choice balancer;

    Attempt(Instant time, String method, String authority, String path) {
        this.time = time;
        this.method = method;
        this.authority = authority;
        this.path = path;
        this.originalPath = path;
    }

    void fail(HttpServerExchange exchange, int status, String flags, String message) {
        this.status = status;
        this.flags = flags;
        this.bytesSent = Exchanges.text(exchange, status, message);
    }

    RequestLog.Line line(String reporter, @Nullable String remote) {
        String allFlags = !faultDelayed ? flags : flags.equals("-") ? "DI" : "DI," + flags;
        return new RequestLog.Line(time, method, authority, originalPath, status, allFlags, bytesReceived, bytesSent,
                durationMillis, upstreamHost, cluster, routeName, requestId, traceId, peerIdentity, remote, reporter, policy);
    }
}
