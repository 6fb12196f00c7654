package dev.meshpilot.observability.metrics;

import static java.util.Objects.requireNonNull;

/**
 * One finished request as {@link IstioMetrics#record} counts it.
 *
 * @param durationMillis from the first request byte to the last response byte
 * @param requestBytes request body size (Istio's {@code istio_request_bytes})
 * @param responseBytes response body size (Istio's {@code istio_response_bytes})
 */
public record RequestMetric(RequestLabels labels, double durationMillis, long requestBytes, long responseBytes) {

    public RequestMetric {
        requireNonNull(labels, "labels");
        if (!(durationMillis >= 0) || Double.isInfinite(durationMillis)) {
            throw new IllegalArgumentException("durationMillis: " + durationMillis + " (expected: >= 0)");
        }
        if (requestBytes < 0 || responseBytes < 0) {
            throw new IllegalArgumentException(
                    "requestBytes: " + requestBytes + ", responseBytes: " + responseBytes + " (expected: >= 0)");
        }
    }
}
