package dev.meshpilot.policy.route;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Istio's HTTPRetry: {@code attempts} retries after the first try, each try bounded by
 * {@code perTryTimeout} (null: bounded by the route timeout only), retried on the {@code retryOn} conditions.
 */
public record RetryPolicy(int attempts, @Nullable Duration perTryTimeout, List<String> retryOn) {
    public RetryPolicy {
        retryOn = List.copyOf(retryOn);
    }
}
