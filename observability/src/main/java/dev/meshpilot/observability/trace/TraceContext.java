package dev.meshpilot.observability.trace;

import static java.util.Objects.requireNonNull;

import java.util.function.BiConsumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The trace position of one request: B3 and W3C Trace Context propagation.
 *
 * <p>{@link #extract} reads {@code traceparent}/{@code tracestate}, the single {@code b3} header and the
 * {@code x-b3-*} headers (W3C wins when it is valid; invalid values are ignored). {@link #inject} always
 * writes both the B3 multi-headers and {@code traceparent}, with the same 128-bit trace id.
 *
 * @param traceId 32 lower-case hex chars (a 64-bit B3 id is left-padded with zeros)
 * @param spanId 16 lower-case hex chars
 * @param parentSpanId the parent's span id, or null for a root (W3C does not carry it)
 * @param sampled whether this trace is recorded; a B3 request without a decision counts as sampled
 * @param debug B3 debug flag ({@code x-b3-flags: 1} or {@code b3: ...-d}); implies sampled
 * @param traceState the W3C {@code tracestate} passed through unchanged, or null
 */
public record TraceContext(
        String traceId,
        String spanId,
        @Nullable String parentSpanId,
        boolean sampled,
        boolean debug,
        @Nullable String traceState) {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    public static final String B3 = "b3";
    public static final String B3_TRACE_ID = "x-b3-traceid";
    public static final String B3_SPAN_ID = "x-b3-spanid";
    public static final String B3_PARENT_SPAN_ID = "x-b3-parentspanid";
    public static final String B3_SAMPLED = "x-b3-sampled";
    public static final String B3_FLAGS = "x-b3-flags";

    public TraceContext {
        requireNonNull(traceId, "traceId");
        requireNonNull(spanId, "spanId");
        if (!Ids.isId(traceId, 32, true)) {
            throw new IllegalArgumentException("traceId: " + traceId + " (expected: 32 lower-case hex chars, not all zero)");
        }
        if (!Ids.isId(spanId, 16, true)) {
            throw new IllegalArgumentException("spanId: " + spanId + " (expected: 16 lower-case hex chars, not all zero)");
        }
        if (parentSpanId != null && !Ids.isId(parentSpanId, 16, true)) {
            throw new IllegalArgumentException(
                    "parentSpanId: " + parentSpanId + " (expected: 16 lower-case hex chars, not all zero)");
        }
        sampled = sampled || debug;
    }

    /** A new trace: random trace and span ids, no parent. */
    public static TraceContext newRoot(boolean sampled) {
        return new TraceContext(Ids.newTraceId(), Ids.newSpanId(), null, sampled, false, null);
    }

    /**
     * Reads the incoming trace context; {@code header} returns a header's value by lower-case name, or null.
     *
     * @return the context, or null when no valid W3C or B3 context is present
     */
    public static @Nullable TraceContext extract(Function<String, @Nullable String> header) {
        requireNonNull(header, "header");
        TraceContext b3 = B3Codec.extractSingle(header.apply(B3));
        if (b3 == null) {
            b3 = B3Codec.extractMulti(header);
        }
        TraceContext w3c = W3cCodec.extract(header.apply(TRACEPARENT), header.apply(TRACESTATE));
        if (w3c == null) {
            return b3;
        }
        if (b3 != null && b3.debug && b3.traceId.equals(w3c.traceId) && b3.spanId.equals(w3c.spanId)) {
            return new TraceContext(w3c.traceId, w3c.spanId, b3.parentSpanId, true, true, w3c.traceState);
        }
        return w3c;
    }

    /** The incoming context, or a new root with the given sampling decision when there is none. */
    public static TraceContext extractOrNewRoot(Function<String, @Nullable String> header, boolean sampledIfNew) {
        TraceContext extracted = extract(header);
        return extracted != null ? extracted : newRoot(sampledIfNew);
    }

    /** The context of a new span under this one: same trace, new span id, parent = this span. */
    public TraceContext childSpan() {
        return new TraceContext(traceId, Ids.newSpanId(), spanId, sampled, debug, traceState);
    }

    /** Writes the B3 multi-headers, {@code traceparent} and (when known) {@code tracestate}. */
    public void inject(BiConsumer<String, String> setHeader) {
        requireNonNull(setHeader, "setHeader");
        setHeader.accept(B3_TRACE_ID, traceId);
        setHeader.accept(B3_SPAN_ID, spanId);
        if (parentSpanId != null) {
            setHeader.accept(B3_PARENT_SPAN_ID, parentSpanId);
        }
        if (debug) {
            setHeader.accept(B3_FLAGS, "1");
        } else {
            setHeader.accept(B3_SAMPLED, sampled ? "1" : "0");
        }
        setHeader.accept(TRACEPARENT, traceparent());
        if (traceState != null) {
            setHeader.accept(TRACESTATE, traceState);
        }
    }

    /** The W3C header value: {@code 00-<trace id>-<span id>-<01|00>}. */
    public String traceparent() {
        return "00-" + traceId + '-' + spanId + (sampled ? "-01" : "-00");
    }
}
