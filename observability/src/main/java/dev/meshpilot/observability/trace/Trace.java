package dev.meshpilot.observability.trace;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The spans of one trace that the {@link SpanStore} holds, ordered by start time (earliest first).
 * A trace can be incomplete: spans not yet reported or already evicted are missing.
 */
public record Trace(String traceId, List<Span> spans) {

    private static final Comparator<Span> BY_START = Comparator.comparing(Span::start);

    public Trace {
        requireNonNull(traceId, "traceId");
        spans = requireNonNull(spans, "spans").stream().sorted(BY_START).toList();
        if (spans.isEmpty()) {
            throw new IllegalArgumentException("spans: [] (expected: at least one span of trace " + traceId + ")");
        }
        for (Span span : spans) {
            if (!span.traceId().equals(traceId)) {
                throw new IllegalArgumentException(
                        "spans: span " + span.spanId() + " has trace id " + span.traceId() + " (expected: " + traceId + ")");
            }
        }
    }

    /** The span without a parent, or else the earliest span whose parent is not held. */
    public Span root() {
        Optional<Span> root = spans.stream().filter(span -> span.parentSpanId() == null).findFirst();
        if (root.isPresent()) {
            return root.get();
        }
        Set<String> ids = new LinkedHashSet<>();
        spans.forEach(span -> ids.add(span.spanId()));
        return spans.stream().filter(span -> !ids.contains(span.parentSpanId())).findFirst().orElse(spans.get(0));
    }

    public Instant start() {
        return spans.get(0).start();
    }

    /** From the earliest start to the latest end. */
    public Duration duration() {
        Instant end = spans.stream().map(Span::end).max(Comparator.naturalOrder()).orElseThrow();
        return Duration.between(start(), end);
    }

    /** The services that took part, in order of their first span. */
    public List<String> services() {
        Set<String> services = new LinkedHashSet<>();
        spans.forEach(span -> services.add(span.service()));
        return List.copyOf(services);
    }

    public boolean hasError() {
        return spans.stream().anyMatch(Span::isError);
    }

    /** The direct children of {@code span}, by start time. */
    public List<Span> children(Span span) {
        return spans.stream().filter(s -> span.spanId().equals(s.parentSpanId())).toList();
    }
}
