package dev.meshpilot.observability.metrics;

/**
 * A mergeable log-scale latency histogram (bins 10% wide from 0.1 ms) with exact min and max, for quantiles
 * of one {@link MetricHistory} step. Not thread-safe; {@link MetricHistory} locks around it.
 */
final class LatencyHistogram {

    private static final int BINS = 200;
    private static final double RESOLUTION_MILLIS = 0.1;
    private static final double LOG_GROWTH = Math.log(1.1);

    private final int[] bins = new int[BINS];
    private long count;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    void record(double millis) {
        bins[bin(millis)]++;
        count++;
        min = Math.min(min, millis);
        max = Math.max(max, millis);
    }

    void merge(LatencyHistogram other) {
        for (int i = 0; i < BINS; i++) {
            bins[i] += other.bins[i];
        }
        count += other.count;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    void clear() {
        java.util.Arrays.fill(bins, 0);
        count = 0;
        min = Double.POSITIVE_INFINITY;
        max = Double.NEGATIVE_INFINITY;
    }

    long count() {
        return count;
    }

    /** The {@code q}-quantile (0..1) within 10%, clamped to the observed range; 0 when empty. */
    double quantile(double q) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        for (int i = 0; i < BINS; i++) {
            seen += bins[i];
            if (seen >= rank) {
                return Math.min(max, Math.max(min, representative(i)));
            }
        }
        return max;
    }

    private static int bin(double millis) {
        double units = millis / RESOLUTION_MILLIS;
        if (units < 1) {
            return 0;
        }
        return Math.min(BINS - 1, 1 + (int) (Math.log(units) / LOG_GROWTH));
    }

    /** The geometric middle of bin {@code i} ([0.1·1.1^(i-1), 0.1·1.1^i) ms). */
    private static double representative(int i) {
        if (i == 0) {
            return RESOLUTION_MILLIS / 2;
        }
        return RESOLUTION_MILLIS * Math.pow(1.1, i - 0.5);
    }
}
