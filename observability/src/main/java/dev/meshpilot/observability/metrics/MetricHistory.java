package dev.meshpilot.observability.metrics;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Request count, error count and p50/p99 latency per {@code (destination_service, destination_version)} in
 * 10-second steps for the last 30 minutes: the data of the console's canary and metrics pages in embedded mode.
 *
 * <p>Feed it as a listener of {@link IstioMetrics}. By default only {@code reporter="destination"} requests are
 * counted (as Istio's service dashboards do), so a request seen by two sidecars counts once. Errors are 5xx
 * responses and requests that got no response (code 0).
 */
public final class MetricHistory implements Consumer<RequestMetric> {

    public static final Duration STEP = Duration.ofSeconds(10);
    public static final Duration RETENTION = Duration.ofMinutes(30);
    private static final long STEP_MILLIS = STEP.toMillis();
    private static final int STEPS = (int) (RETENTION.toMillis() / STEP_MILLIS);

    /**
     * One 10-second step. Latencies are 0 when there were no requests.
     *
     * @param start the beginning of the step
     */
    public record Point(Instant start, long requests, long errors, double p50Millis, double p99Millis) {

        /** errors / requests, 0 without requests. */
        public double errorRate() {
            return requests == 0 ? 0 : (double) errors / requests;
        }
    }

    private record Key(String service, String version) {}

    private final Clock clock;
    private final @Nullable String reporter;
    private final ConcurrentHashMap<Key, Ring> series = new ConcurrentHashMap<>();

    /** History of {@code reporter="destination"} requests on the system clock. */
    public MetricHistory() {
        this(Clock.systemUTC(), "destination");
    }

    /** @param reporter the only reporter counted, or null to count every report */
    public MetricHistory(Clock clock, @Nullable String reporter) {
        this.clock = requireNonNull(clock, "clock");
        this.reporter = reporter;
    }

    @Override
    public void accept(RequestMetric metric) {
        requireNonNull(metric, "metric");
        RequestLabels labels = metric.labels();
        if (reporter != null && !reporter.equals(labels.reporter())) {
            return;
        }
        Key key = new Key(labels.destinationService(), labels.destinationVersion());
        Ring ring = series.get(key);
        if (ring == null) {
            ring = series.computeIfAbsent(key, k -> new Ring());
        }
        int code = labels.responseCode();
        ring.record(clock.millis() / STEP_MILLIS, metric.durationMillis(), code == 0 || code >= 500);
    }

    /**
     * The steps covering the last {@code window} (at most 30 minutes), oldest first, ending with the current
     * (partial) step; steps without requests are included with zeros.
     *
     * @param version a destination_version, or null for all versions of the service together
     */
    public List<Point> series(String destinationService, @Nullable String version, Duration window) {
        requireNonNull(destinationService, "destinationService");
        requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window: " + window + " (expected: > 0)");
        }
        int steps = (int) Math.min(STEPS, (window.toMillis() + STEP_MILLIS - 1) / STEP_MILLIS);
        long last = clock.millis() / STEP_MILLIS;
        List<Ring> rings = new ArrayList<>();
        series.forEach((key, ring) -> {
            if (key.service().equals(destinationService) && (version == null || key.version().equals(version))) {
                rings.add(ring);
            }
        });
        List<Point> points = new ArrayList<>(steps);
        LatencyHistogram merged = new LatencyHistogram();
        for (long step = last - steps + 1; step <= last; step++) {
            merged.clear();
            long requests = 0;
            long errors = 0;
            for (Ring ring : rings) {
                long[] counts = ring.read(step, merged);
                requests += counts[0];
                errors += counts[1];
            }
            points.add(new Point(Instant.ofEpochMilli(step * STEP_MILLIS), requests, errors,
                    merged.quantile(0.5), merged.quantile(0.99)));
        }
        return List.copyOf(points);
    }

    /** The destination_version values seen for a service in the last 30 minutes, sorted. */
    public List<String> versions(String destinationService) {
        requireNonNull(destinationService, "destinationService");
        long oldest = clock.millis() / STEP_MILLIS - STEPS + 1;
        return series.entrySet().stream()
                .filter(e -> e.getKey().service().equals(destinationService) && e.getValue().hasDataSince(oldest))
                .map(e -> e.getKey().version()).sorted().toList();
    }

    /** The steps of one series: a ring of 180 slots, each tagged with the step number it holds. */
    private static final class Ring {
        private final long[] stepOf = new long[STEPS];
        private final long[] requests = new long[STEPS];
        private final long[] errors = new long[STEPS];
        private final @Nullable LatencyHistogram[] latencies = new LatencyHistogram[STEPS];

        Ring() {
            java.util.Arrays.fill(stepOf, Long.MIN_VALUE);
        }

        synchronized void record(long step, double millis, boolean error) {
            int slot = (int) Math.floorMod(step, (long) STEPS);
            if (stepOf[slot] != step) {
                stepOf[slot] = step;
                requests[slot] = 0;
                errors[slot] = 0;
                LatencyHistogram latency = latencies[slot];
                if (latency != null) {
                    latency.clear();
                }
            }
            LatencyHistogram latency = latencies[slot];
            if (latency == null) {
                latency = new LatencyHistogram();
                latencies[slot] = latency;
            }
            requests[slot]++;
            if (error) {
                errors[slot]++;
            }
            latency.record(millis);
        }

        /** Adds the step's latencies to {@code into}; returns {requests, errors}. */
        synchronized long[] read(long step, LatencyHistogram into) {
            int slot = (int) Math.floorMod(step, (long) STEPS);
            LatencyHistogram latency = latencies[slot];
            if (stepOf[slot] != step || latency == null) {
                return new long[] {0, 0};
            }
            into.merge(latency);
            return new long[] {requests[slot], errors[slot]};
        }

        synchronized boolean hasDataSince(long oldestStep) {
            for (long step : stepOf) {
                if (step >= oldestStep) {
                    return true;
                }
            }
            return false;
        }
    }
}
