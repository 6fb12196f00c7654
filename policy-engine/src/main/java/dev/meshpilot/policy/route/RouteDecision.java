package dev.meshpilot.policy.route;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where one request goes.
 *
 * @param virtualService {@code namespace/name} of the deciding VirtualService, {@code null} for the
 *                       default route to a Service or for {@link #none}
 * @param rule           index of the matching http rule, -1 when no VirtualService decided
 * @param destinations   weighted destinations; empty only for {@link #none}
 * @param timeout        the route timeout, {@code null} when none is set
 * @param retries        the retry policy, {@code null} when none is set
 */
public record RouteDecision(@Nullable String virtualService, int rule, List<WeightedDestination> destinations,
        @Nullable Duration timeout, @Nullable RetryPolicy retries) {

    private static final RouteDecision NONE = new RouteDecision(null, -1, List.of(), null, null);

    public RouteDecision {
        destinations = List.copyOf(destinations);
    }

    public static RouteDecision none() {
        return NONE;
    }

    public boolean routed() {
        return !destinations.isEmpty();
    }
}
