package dev.meshpilot.observability.trace;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The built-in span store of the embedded mode: the last {@code capacity} spans in memory, grouped by trace.
 * When full, the oldest recorded span is evicted (a trace disappears with its last span). Thread-safe; no threads.
 */
public final class SpanStore {

    public static final int DEFAULT_CAPACITY = 10_000;

    private final int capacity;
    private final ArrayDeque<Span> order = new ArrayDeque<>();
    /** The trace that received a span most recently comes last (moved there by putLast). */
    private final LinkedHashMap<String, List<Span>> traces = new LinkedHashMap<>();

    public SpanStore() {
        this(DEFAULT_CAPACITY);
    }

    public SpanStore(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
        }
        this.capacity = capacity;
    }

    /** Stores a finished span, evicting the oldest span when the store is full. */
    public synchronized void record(Span span) {
        requireNonNull(span, "span");
        if (order.size() == capacity) {
            evictOldest();
        }
        order.addLast(span);
        List<Span> spans = traces.get(span.traceId());
        if (spans == null) {
            spans = new ArrayList<>(4);
        }
        spans.add(span);
        traces.putLast(span.traceId(), spans);
    }

    /**
     * Up to {@code limit} traces, the one with the most recently recorded span first; with {@code service},
     * only traces in which that service has a span.
     */
    public List<Trace> recentTraces(int limit, @Nullable String service) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: >= 0)");
        }
        List<Trace> result = new ArrayList<>(Math.min(limit, 64));
        synchronized (this) {
            for (var entry : traces.sequencedEntrySet().reversed()) {
                if (result.size() == limit) {
                    break;
                }
                List<Span> spans = entry.getValue();
                if (service == null || spans.stream().anyMatch(span -> span.service().equals(service))) {
                    result.add(new Trace(entry.getKey(), List.copyOf(spans)));
                }
            }
        }
        return List.copyOf(result);
    }

    /** The spans held for {@code traceId} (a 64-bit B3 id is matched after left-padding). */
    public Optional<Trace> trace(String traceId) {
        requireNonNull(traceId, "traceId");
        String lower = traceId.toLowerCase(java.util.Locale.ROOT);
        String key = lower.length() == 16 ? Ids.ZERO_64 + lower : lower;
        List<Span> spans;
        synchronized (this) {
            List<Span> held = traces.get(key);
            spans = held == null ? null : List.copyOf(held);
        }
        return spans == null ? Optional.empty() : Optional.of(new Trace(key, spans));
    }

    public synchronized int size() {
        return order.size();
    }

    public int capacity() {
        return capacity;
    }

    private void evictOldest() {
        Span oldest = order.removeFirst();
        List<Span> spans = traces.get(oldest.traceId());
        if (spans == null) {
            return;
        }
        spans.remove(oldest);
        if (spans.isEmpty()) {
            traces.remove(oldest.traceId());
        }
    }
}
