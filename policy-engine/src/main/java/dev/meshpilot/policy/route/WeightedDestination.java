package dev.meshpilot.policy.route;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One destination of a route with its weight (0..100; the weights of a route add up to 100).
 *
 * @param host   fully qualified host ({@code hello.default.svc.cluster.local}) or a ServiceEntry host
 * @param subset subset name, or {@code null} for every endpoint of the host
 * @param port   destination port, or {@code null} when the route does not name one
 */
public record WeightedDestination(String host, @Nullable String subset, @Nullable Integer port, int weight) {
    public WeightedDestination {
        requireNonNull(host, "host");
        if (weight < 0 || weight > 100) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: 0..100)");
        }
    }
}
