package dev.meshpilot.observability.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SpanStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-24T17:00:00Z");

    private static Span span(TraceContext context, String service, long offsetMillis, long micros, int status) {
        return Span.of(context, "GET /hello", service, T0.plusMillis(offsetMillis), micros,
                Map.of("http.method", "GET"), status);
    }

    @Test
    void groupsSpansOfOneTraceAndFindsItsRoot() {
        SpanStore store = new SpanStore();
        TraceContext gateway = TraceContext.newRoot(true);
        TraceContext sidecar = gateway.childSpan();
        store.record(span(sidecar, "helloworld-v1.default", 1, 3_000, 200));
        store.record(span(gateway, "istio-ingressgateway.istio-system", 0, 5_000, 200));

        Trace trace = store.trace(gateway.traceId()).orElseThrow();

        assertThat(trace.spans()).extracting(Span::spanId).containsExactly(gateway.spanId(), sidecar.spanId());
        assertThat(trace.root().spanId()).isEqualTo(gateway.spanId());
        assertThat(trace.children(trace.root())).extracting(Span::spanId).containsExactly(sidecar.spanId());
        assertThat(trace.services()).containsExactly("istio-ingressgateway.istio-system", "helloworld-v1.default");
        assertThat(trace.duration()).isEqualTo(Duration.ofMillis(5));
        assertThat(trace.hasError()).isFalse();
    }

    @Test
    void listsMostRecentlyActiveTracesFirstAndFiltersByService() {
        SpanStore store = new SpanStore();
        TraceContext first = TraceContext.newRoot(true);
        TraceContext second = TraceContext.newRoot(true);
        store.record(span(first, "gw.istio-system", 0, 10, 200));
        store.record(span(second, "gw.istio-system", 1, 10, 200));
        store.record(span(first.childSpan(), "helloworld-v2.default", 2, 10, 503));

        assertThat(store.recentTraces(10, null)).extracting(Trace::traceId)
                .containsExactly(first.traceId(), second.traceId());
        assertThat(store.recentTraces(1, null)).extracting(Trace::traceId).containsExactly(first.traceId());
        assertThat(store.recentTraces(10, "helloworld-v2.default")).singleElement()
                .satisfies(trace -> assertThat(trace.hasError()).isTrue());
        assertThat(store.recentTraces(10, "nobody.default")).isEmpty();
    }

    @Test
    void evictsTheOldestSpansWhenFull() {
        SpanStore store = new SpanStore(3);
        List<TraceContext> roots = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TraceContext root = TraceContext.newRoot(true);
            roots.add(root);
            store.record(span(root, "gw.istio-system", i, 10, 200));
        }

        assertThat(store.size()).isEqualTo(3);
        assertThat(store.trace(roots.get(0).traceId())).isEmpty();
        assertThat(store.trace(roots.get(1).traceId())).isEmpty();
        assertThat(store.recentTraces(10, null)).extracting(Trace::traceId)
                .containsExactly(roots.get(4).traceId(), roots.get(3).traceId(), roots.get(2).traceId());
    }

    @Test
    void findsTracesBy64BitB3Id() {
        SpanStore store = new SpanStore();
        TraceContext context = TraceContext.extract(Map.of("x-b3-traceid", "a3ce929d0e0e4736",
                "x-b3-spanid", "00f067aa0ba902b7")::get);
        store.record(span(context, "gw.istio-system", 0, 10, 200));

        assertThat(store.trace("a3ce929d0e0e4736")).isPresent();
        assertThat(store.trace("0000000000000000A3CE929D0E0E4736")).isPresent();
    }

    @Test
    void staysConsistentUnderConcurrentWriters() throws InterruptedException {
        SpanStore store = new SpanStore(1000);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2000; i++) {
                    TraceContext root = TraceContext.newRoot(true);
                    store.record(span(root, "gw.istio-system", i, 10, 200));
                    store.record(span(root.childSpan(), "helloworld-v1.default", i, 5, 200));
                    store.recentTraces(5, "helloworld-v1.default");
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(store.size()).isEqualTo(1000);
        assertThat(store.recentTraces(10_000, null).stream().mapToInt(trace -> trace.spans().size()).sum())
                .isEqualTo(1000);
    }
}
