package dev.meshpilot.policy.route;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The DestinationRule traffic policy that applies to one destination (host, subset, port): the rule's policy,
 * overridden by its port-level settings, by the subset's policy and the subset's port-level settings, field by
 * field. Absent fields are null.
 *
 * @param tlsMode      DISABLE, SIMPLE, MUTUAL or ISTIO_MUTUAL: {@code tls.mode}, always the mode of {@code tls}
 * @param loadBalancer ROUND_ROBIN, LEAST_REQUEST, RANDOM, PASSTHROUGH (or LEAST_CONN); null with consistent hashing
 * @param consistentHash {@code loadBalancer.consistentHash} (sticky sessions), null when not set. The load balancer
 *                     settings ({@code simple} or {@code consistentHash}) are overridden as one field.
 * @param tls          the whole {@code tls} block (mode, certificates, SNI, names), overridden as one field; null
 *                     when not set. Given only a {@code tlsMode}, a block with just that mode.
 */
public record TrafficPolicy(@Nullable String tlsMode, @Nullable String loadBalancer,
        @Nullable ConnectionPool connectionPool, @Nullable OutlierDetection outlierDetection,
        @Nullable ConsistentHash consistentHash, @Nullable ClientTls tls) {

    public static final TrafficPolicy NONE = new TrafficPolicy(null, null, null, null, null, null);

    public TrafficPolicy {
        if (tls != null && tlsMode == null) {
            tlsMode = tls.mode().name();
        } else if (tls == null && tlsMode != null) {
            tls = modeOnly(tlsMode);
        } else if (tls != null && !tls.mode().name().equals(tlsMode)) {
            throw new IllegalArgumentException("tlsMode: " + tlsMode + " (expected: " + tls.mode() + ", the mode of tls)");
        }
    }

    /** A policy without a tls block beyond its mode. */
    public TrafficPolicy(@Nullable String tlsMode, @Nullable String loadBalancer, @Nullable ConnectionPool connectionPool,
            @Nullable OutlierDetection outlierDetection, @Nullable ConsistentHash consistentHash) {
        this(tlsMode, loadBalancer, connectionPool, outlierDetection, consistentHash, null);
    }

    /** A policy without consistent hashing. */
    public TrafficPolicy(@Nullable String tlsMode, @Nullable String loadBalancer, @Nullable ConnectionPool connectionPool,
            @Nullable OutlierDetection outlierDetection) {
        this(tlsMode, loadBalancer, connectionPool, outlierDetection, null, null);
    }

    /** This policy with every field that {@code more} sets taken from {@code more}. */
    public TrafficPolicy overriddenBy(@Nullable TrafficPolicy more) {
        if (more == null) {
            return this;
        }
        boolean balancer = more.loadBalancer != null || more.consistentHash != null;
        boolean tlsSet = more.tlsMode != null || more.tls != null;
        return new TrafficPolicy(tlsSet ? more.tlsMode : tlsMode,
                balancer ? more.loadBalancer : loadBalancer,
                more.connectionPool != null ? more.connectionPool : connectionPool,
                more.outlierDetection != null ? more.outlierDetection : outlierDetection,
                balancer ? more.consistentHash : consistentHash, tlsSet ? more.tls : tls);
    }

    private static @Nullable ClientTls modeOnly(String mode) {
        for (ClientTls.Mode m : ClientTls.Mode.values()) {
            if (m.name().equals(mode)) {
                return ClientTls.of(m);
            }
        }
        return null; // a mode the engine does not know: kept as text only
    }

    /**
     * Consistent hashing of requests onto endpoints.
     *
     * @param hashOn {@code httpHeaderName}, {@code httpCookie}, {@code useSourceIp} or {@code httpQueryParameterName}
     * @param name   the header, cookie or query parameter name; null for {@code useSourceIp}
     * @param ttl    the cookie's lifetime ({@code httpCookie} only; zero = a session cookie), null when not set
     */
    public record ConsistentHash(String hashOn, @Nullable String name, @Nullable Duration ttl) {}

    /** connectionPool.tcp / .http limits. */
    public record ConnectionPool(@Nullable Integer maxConnections, @Nullable Duration connectTimeout,
            @Nullable Integer http1MaxPendingRequests, @Nullable Integer http2MaxRequests,
            @Nullable Integer maxRequestsPerConnection, @Nullable Integer maxRetries) {}

    /** Passive health checking: eject an endpoint after consecutive errors. */
    public record OutlierDetection(@Nullable Integer consecutive5xxErrors, @Nullable Integer consecutiveGatewayErrors,
            @Nullable Duration interval, @Nullable Duration baseEjectionTime, @Nullable Integer maxEjectionPercent) {}
}
