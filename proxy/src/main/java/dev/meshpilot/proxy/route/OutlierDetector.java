package dev.meshpilot.proxy.route;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.route.TrafficPolicy.OutlierDetection;
import dev.meshpilot.proxy.endpoint.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Passive health checking of one proxy, per cluster (Envoy's outlier detection as a DestinationRule's
 * {@code outlierDetection} sets it): {@code consecutive5xxErrors} 5xx answers (or connect failures and timeouts)
 * in a row from an endpoint eject it for {@code baseEjectionTime} × the times it was ejected, unless that would
 * eject more than {@code maxEjectionPercent} of the cluster's endpoints. An ejected endpoint returns to the
 * rotation when its time is up.
 */
public final class OutlierDetector {

    static final int DEFAULT_CONSECUTIVE_ERRORS = 5;
    static final Duration DEFAULT_BASE_EJECTION = Duration.ofSeconds(30);
    static final int DEFAULT_MAX_EJECTION_PERCENT = 10;

    private final LongSupplier nanoClock;
    private final Map<String, Health> health = new HashMap<>();

    public OutlierDetector() {
        this(System::nanoTime);
    }

    OutlierDetector(LongSupplier nanoClock) {
        this.nanoClock = requireNonNull(nanoClock, "nanoClock");
    }

    /** {@code endpoints} without the ones ejected from {@code cluster}; all of them when every one is ejected. */
    public synchronized List<Endpoint> healthy(String cluster, List<Endpoint> endpoints) {
        long now = nanoClock.getAsLong();
        List<Endpoint> in = new ArrayList<>(endpoints.size());
        for (Endpoint e : endpoints) {
            Health h = health.get(key(cluster, e));
            if (h == null || h.ejectedUntil <= now) {
                in.add(e);
            }
        }
        return in.isEmpty() ? endpoints : List.copyOf(in); // Envoy's panic mode: never route to nothing
    }

    /**
     * Records one try's result ({@code status} 0 for a connect failure, reset or timeout); returns true when this
     * result ejected the endpoint.
     */
    public synchronized boolean record(String cluster, Endpoint endpoint, List<Endpoint> clusterEndpoints, int status,
            @Nullable OutlierDetection policy) {
        if (policy == null) {
            return false;
        }
        Health h = health.computeIfAbsent(key(cluster, endpoint), k -> new Health());
        boolean error = status == 0 || status >= 500;
        if (!error) {
            h.consecutiveErrors = 0;
            return false;
        }
        h.consecutiveErrors++;
        int threshold = policy.consecutive5xxErrors() != null ? policy.consecutive5xxErrors() : DEFAULT_CONSECUTIVE_ERRORS;
        long now = nanoClock.getAsLong();
        if (threshold <= 0 || h.consecutiveErrors < threshold || h.ejectedUntil > now) {
            return false;
        }
        int maxPercent = policy.maxEjectionPercent() != null ? policy.maxEjectionPercent() : DEFAULT_MAX_EJECTION_PERCENT;
        long ejected = clusterEndpoints.stream().filter(e -> {
            Health other = health.get(key(cluster, e));
            return other != null && other.ejectedUntil > now;
        }).count();
        if (ejected * 100 >= (long) maxPercent * clusterEndpoints.size()) { // Envoy: eject while below the percent
            return false;
        }
        Duration base = policy.baseEjectionTime() != null ? policy.baseEjectionTime() : DEFAULT_BASE_EJECTION;
        h.ejections++;
        h.ejectedUntil = now + base.toNanos() * h.ejections;
        h.consecutiveErrors = 0;
        return true;
    }

    /** Whether {@code endpoint} is ejected from {@code cluster} now. */
    public synchronized boolean ejected(String cluster, Endpoint endpoint) {
        Health h = health.get(key(cluster, endpoint));
        return h != null && h.ejectedUntil > nanoClock.getAsLong();
    }

    private static String key(String cluster, Endpoint endpoint) {
        return cluster + "#" + endpoint.id();
    }

    private static final class Health {
        int consecutiveErrors;
        int ejections;
        long ejectedUntil = Long.MIN_VALUE;
    }
}
