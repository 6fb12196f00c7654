package dev.meshpilot.proxy.route;

import dev.meshpilot.observability.metrics.IstioMetrics;
import dev.meshpilot.observability.trace.SpanStore;
import org.jspecify.annotations.Nullable;

/**
 * Where a proxy reports besides its own access log: Istio's standard metrics and finished spans.
 *
 * @param metrics null to record no metrics
 * @param spans   null to record no spans
 */
public record Telemetry(@Nullable IstioMetrics metrics, @Nullable SpanStore spans) {

    public static Telemetry none() {
        return new Telemetry(null, null);
    }
}
