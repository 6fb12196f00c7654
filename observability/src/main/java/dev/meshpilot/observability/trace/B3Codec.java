package dev.meshpilot.observability.trace;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/** Reads Zipkin B3 headers: the single {@code b3} header and the {@code x-b3-*} multi-headers. */
final class B3Codec {

    private B3Codec() {}

    /** {@code b3: {traceId}-{spanId}[-{1|0|d}[-{parentSpanId}]]}; a sampling-only value carries no ids. */
    static @Nullable TraceContext extractSingle(@Nullable String value) {
        if (value == null) {
            return null;
        }
        String[] parts = value.trim().split("-", -1);
        if (parts.length < 2 || parts.length > 4) {
            return null;
        }
        String traceId = Ids.b3TraceId(parts[0]);
        String spanId = Ids.b3SpanId(parts[1]);
        if (traceId == null || spanId == null) {
            return null;
        }
        boolean sampled = true;
        boolean debug = false;
        if (parts.length >= 3) {
            switch (parts[2]) {
                case "1" -> sampled = true;
                case "0" -> sampled = false;
                case "d" -> debug = true;
                default -> {
                    return null;
                }
            }
        }
        String parent = null;
        if (parts.length == 4) {
            parent = Ids.b3SpanId(parts[3]);
            if (parent == null) {
                return null;
            }
        }
        return new TraceContext(traceId, spanId, parent, sampled, debug, null);
    }

    /** {@code x-b3-traceid} and {@code x-b3-spanid} are required; an invalid parent id is dropped. */
    static @Nullable TraceContext extractMulti(Function<String, @Nullable String> header) {
        String traceId = Ids.b3TraceId(header.apply(TraceContext.B3_TRACE_ID));
        String spanId = Ids.b3SpanId(header.apply(TraceContext.B3_SPAN_ID));
        if (traceId == null || spanId == null) {
            return null;
        }
        String parent = Ids.b3SpanId(header.apply(TraceContext.B3_PARENT_SPAN_ID));
        String flags = header.apply(TraceContext.B3_FLAGS);
        boolean debug = flags != null && flags.trim().equals("1");
        return new TraceContext(traceId, spanId, parent, sampled(header.apply(TraceContext.B3_SAMPLED)), debug, null);
    }

    /** "0"/"false" means not sampled; "1"/"true", absent or unreadable leaves the trace sampled. */
    private static boolean sampled(@Nullable String value) {
        if (value == null) {
            return true;
        }
        String trimmed = value.trim();
        return !(trimmed.equals("0") || trimmed.equalsIgnoreCase("false"));
    }
}
