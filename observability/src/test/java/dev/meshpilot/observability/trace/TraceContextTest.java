package dev.meshpilot.observability.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TraceContextTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    private static TraceContext extract(Map<String, String> headers) {
        return TraceContext.extract(headers::get);
    }

    @Test
    void readsW3cTraceparentAndTracestate() {
        TraceContext context = extract(Map.of(
                "traceparent", "00-" + TRACE + "-" + SPAN + "-01",
                "tracestate", "congo=t61rcWkgMzE"));

        assertThat(context).isEqualTo(new TraceContext(TRACE, SPAN, null, true, false, "congo=t61rcWkgMzE"));
    }

    @Test
    void readsUnsampledFlagFromTraceparent() {
        assertThat(extract(Map.of("traceparent", "00-" + TRACE + "-" + SPAN + "-00")).sampled()).isFalse();
    }

    @Test
    void acceptsFutureTraceparentVersionWithExtraFields() {
        TraceContext context = extract(Map.of("traceparent", "cc-" + TRACE + "-" + SPAN + "-01-what-the-future"));

        assertThat(context).isNotNull();
        assertThat(context.traceId()).isEqualTo(TRACE);
    }

    @Test
    void ignoresInvalidTraceparents() {
        for (String invalid : new String[] {
                "00-" + TRACE + "-" + SPAN + "-01-extra",
                "ff-" + TRACE + "-" + SPAN + "-01",
                "00-00000000000000000000000000000000-" + SPAN + "-01",
                "00-" + TRACE + "-0000000000000000-01",
                "00-" + TRACE.toUpperCase() + "-" + SPAN + "-01",
                "00-" + TRACE + "-" + SPAN + "-0x",
                "00_" + TRACE + "-" + SPAN + "-01",
                "00-" + TRACE + "-" + SPAN,
                "garbage"}) {
            assertThat(extract(Map.of("traceparent", invalid))).as(invalid).isNull();
        }
    }

    @Test
    void readsB3MultiHeaders() {
        TraceContext context = extract(Map.of(
                "x-b3-traceid", TRACE,
                "x-b3-spanid", SPAN,
                "x-b3-parentspanid", "05e3ac9a4f6e3b90",
                "x-b3-sampled", "1"));

        assertThat(context).isEqualTo(new TraceContext(TRACE, SPAN, "05e3ac9a4f6e3b90", true, false, null));
    }

    @Test
    void leftPads64BitB3TraceIdTo128Bits() {
        TraceContext context = extract(Map.of("x-b3-traceid", "a3ce929d0e0e4736", "x-b3-spanid", SPAN));

        assertThat(context.traceId()).isEqualTo("0000000000000000a3ce929d0e0e4736");
    }

    @Test
    void readsB3SampledZeroAsNotSampledAndFlagsOneAsDebug() {
        assertThat(extract(Map.of("x-b3-traceid", TRACE, "x-b3-spanid", SPAN, "x-b3-sampled", "0")).sampled())
                .isFalse();
        TraceContext debug = extract(Map.of("x-b3-traceid", TRACE, "x-b3-spanid", SPAN, "x-b3-flags", "1"));
        assertThat(debug.debug()).isTrue();
        assertThat(debug.sampled()).isTrue();
    }

    @Test
    void readsB3SingleHeaderInAllItsForms() {
        assertThat(extract(Map.of("b3", TRACE + "-" + SPAN)))
                .isEqualTo(new TraceContext(TRACE, SPAN, null, true, false, null));
        assertThat(extract(Map.of("b3", TRACE + "-" + SPAN + "-0")).sampled()).isFalse();
        assertThat(extract(Map.of("b3", TRACE + "-" + SPAN + "-d")).debug()).isTrue();
        assertThat(extract(Map.of("b3", "a3ce929d0e0e4736-" + SPAN + "-1-05e3ac9a4f6e3b90")))
                .isEqualTo(new TraceContext("0000000000000000a3ce929d0e0e4736", SPAN, "05e3ac9a4f6e3b90", true,
                        false, null));
    }

    @Test
    void ignoresInvalidB3ValuesAndSamplingOnlyHeader() {
        assertThat(extract(Map.of("b3", "0"))).isNull();
        assertThat(extract(Map.of("b3", TRACE + "-" + SPAN + "-x"))).isNull();
        assertThat(extract(Map.of("x-b3-traceid", "xyz", "x-b3-spanid", SPAN))).isNull();
        assertThat(extract(Map.of("x-b3-traceid", TRACE, "x-b3-spanid", "0000000000000000"))).isNull();
        assertThat(extract(Map.of("x-b3-traceid", TRACE))).isNull();
        assertThat(extract(Map.of())).isNull();
    }

    @Test
    void fallsBackToB3WhenTraceparentIsInvalid() {
        TraceContext context = extract(Map.of(
                "traceparent", "00-bad-bad-01",
                "x-b3-traceid", TRACE,
                "x-b3-spanid", SPAN));

        assertThat(context.traceId()).isEqualTo(TRACE);
        assertThat(context.spanId()).isEqualTo(SPAN);
    }

    @Test
    void prefersW3cWhenBothAreValid() {
        TraceContext context = extract(Map.of(
                "traceparent", "00-" + TRACE + "-" + SPAN + "-01",
                "x-b3-traceid", "11111111111111111111111111111111",
                "x-b3-spanid", "2222222222222222"));

        assertThat(context.traceId()).isEqualTo(TRACE);
        assertThat(context.spanId()).isEqualTo(SPAN);
    }

    @Test
    void childSpanKeepsTraceAndPointsAtParent() {
        TraceContext parent = new TraceContext(TRACE, SPAN, null, true, false, "k=v");

        TraceContext child = parent.childSpan();

        assertThat(child.traceId()).isEqualTo(TRACE);
        assertThat(child.parentSpanId()).isEqualTo(SPAN);
        assertThat(child.spanId()).isNotEqualTo(SPAN).hasSize(16);
        assertThat(child.sampled()).isTrue();
        assertThat(child.traceState()).isEqualTo("k=v");
    }

    @Test
    void injectWritesB3AndTraceparentWithTheSameTraceId() {
        TraceContext context = extract(Map.of("x-b3-traceid", "a3ce929d0e0e4736", "x-b3-spanid", SPAN)).childSpan();
        Map<String, String> written = new LinkedHashMap<>();

        context.inject(written::put);

        String padded = "0000000000000000a3ce929d0e0e4736";
        assertThat(written).containsEntry("x-b3-traceid", padded)
                .containsEntry("x-b3-spanid", context.spanId())
                .containsEntry("x-b3-parentspanid", SPAN)
                .containsEntry("x-b3-sampled", "1")
                .containsEntry("traceparent", "00-" + padded + "-" + context.spanId() + "-01")
                .doesNotContainKeys("tracestate", "x-b3-flags");
    }

    @Test
    void injectedHeadersExtractToTheSameContext() {
        TraceContext original = new TraceContext(TRACE, SPAN, "05e3ac9a4f6e3b90", false, false, "a=b");
        Map<String, String> written = new LinkedHashMap<>();
        original.inject(written::put);

        TraceContext viaW3c = extract(written);
        written.remove("traceparent");
        TraceContext viaB3 = extract(written);

        assertThat(viaW3c).isEqualTo(new TraceContext(TRACE, SPAN, null, false, false, "a=b"));
        assertThat(viaB3).isEqualTo(new TraceContext(TRACE, SPAN, "05e3ac9a4f6e3b90", false, false, null));
    }

    @Test
    void injectWritesFlagsInsteadOfSampledForDebugTraces() {
        Map<String, String> written = new LinkedHashMap<>();

        new TraceContext(TRACE, SPAN, null, false, true, null).inject(written::put);

        assertThat(written).containsEntry("x-b3-flags", "1").doesNotContainKey("x-b3-sampled")
                .containsEntry("traceparent", "00-" + TRACE + "-" + SPAN + "-01");
    }

    @Test
    void newRootsHaveRandomNonZeroIdsAndNoParent() {
        Set<String> traceIds = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            TraceContext root = TraceContext.newRoot(i % 2 == 0);
            assertThat(root.traceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
            assertThat(root.spanId()).matches("[0-9a-f]{16}").isNotEqualTo("0".repeat(16));
            assertThat(root.parentSpanId()).isNull();
            assertThat(root.sampled()).isEqualTo(i % 2 == 0);
            traceIds.add(root.traceId());
        }
        assertThat(traceIds).hasSize(1000);
    }

    @Test
    void extractOrNewRootStartsATraceWhenNoneArrived() {
        TraceContext root = TraceContext.extractOrNewRoot(name -> null, false);

        assertThat(root.parentSpanId()).isNull();
        assertThat(root.sampled()).isFalse();
    }

    @Test
    void rejectsMalformedIdsInTheConstructor() {
        assertThatThrownBy(() -> new TraceContext("abc", SPAN, null, true, false, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("traceId: abc (expected: 32 lower-case hex chars, not all zero)");
    }
}
