package dev.meshpilot.observability.trace;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One finished span, as a sidecar or gateway reports it to the {@link SpanStore}.
 *
 * @param traceId 32 lower-case hex chars (as in {@link TraceContext#traceId()})
 * @param spanId 16 lower-case hex chars
 * @param parentSpanId the parent span, or null for the root span of a trace
 * @param name the operation, e.g. {@code hello.default.svc.cluster.local:80/*} or {@code GET /hello}
 * @param service {@code <workload>.<namespace>} as Istio names services in Jaeger, e.g. {@code helloworld-v1.default}
 * @param statusCode the HTTP status, 0 when no response was sent
 */
public record Span(
        String traceId,
        String spanId,
        @Nullable String parentSpanId,
        String name,
        String service,
        Instant start,
        long durationMicros,
        Map<String, String> tags,
        int statusCode) {

    public Span {
        requireNonNull(traceId, "traceId");
        requireNonNull(spanId, "spanId");
        requireNonNull(name, "name");
        requireNonNull(service, "service");
        requireNonNull(start, "start");
        tags = Map.copyOf(requireNonNull(tags, "tags"));
        if (durationMicros < 0) {
            throw new IllegalArgumentException("durationMicros: " + durationMicros + " (expected: >= 0)");
        }
    }

    /** A span for {@code context} (its trace, span and parent ids). */
    public static Span of(TraceContext context, String name, String service, Instant start, long durationMicros,
            Map<String, String> tags, int statusCode) {
        requireNonNull(context, "context");
        return new Span(context.traceId(), context.spanId(), context.parentSpanId(), name, service, start,
                durationMicros, tags, statusCode);
    }

    /** 5xx, or no response at all. */
    public boolean isError() {
        return statusCode == 0 || statusCode >= 500;
    }

    /** When the span ended. */
    public Instant end() {
        return start.plusNanos(durationMicros * 1000);
    }
}
