package dev.meshpilot.policy.route;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The DestinationRule traffic policy that applies to one destination (host, subset, port): the rule's policy,
 * overridden by its port-level settings, by the subset's policy and the subset's port-level settings, field by
 * field. Absent fields are null.
 *
 * @param tlsMode      DISABLE, SIMPLE, MUTUAL or ISTIO_MUTUAL
 * @param loadBalancer ROUND_ROBIN, LEAST_REQUEST, RANDOM, PASSTHROUGH (or LEAST_CONN)
 */
public record TrafficPolicy(@Nullable String tlsMode, @Nullable String loadBalancer,
        @Nullable ConnectionPool connectionPool, @Nullable OutlierDetection outlierDetection) {

    public static final TrafficPolicy NONE = new TrafficPolicy(null, null, null, null);

    /** This policy with every field that {@code more} sets taken from {@code more}. */
    public TrafficPolicy overriddenBy(@Nullable TrafficPolicy more) {
        if (more == null) {
            return this;
        }
        return new TrafficPolicy(more.tlsMode != null ? more.tlsMode : tlsMode,
                more.loadBalancer != null ? more.loadBalancer : loadBalancer,
                more.connectionPool != null ? more.connectionPool : connectionPool,
                more.outlierDetection != null ? more.outlierDetection : outlierDetection);
    }

    /** connectionPool.tcp / .http limits. */
    public record ConnectionPool(@Nullable Integer maxConnections, @Nullable Duration connectTimeout,
            @Nullable Integer http1MaxPendingRequests, @Nullable Integer http2MaxRequests,
            @Nullable Integer maxRequestsPerConnection, @Nullable Integer maxRetries) {}

    /** Passive health checking: eject an endpoint after consecutive errors. */
    public record OutlierDetection(@Nullable Integer consecutive5xxErrors, @Nullable Integer consecutiveGatewayErrors,
            @Nullable Duration interval, @Nullable Duration baseEjectionTime, @Nullable Integer maxEjectionPercent) {}
}
