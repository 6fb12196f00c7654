package dev.meshpilot.policy.route;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where one request goes, and what the deciding http rule does besides.
 *
 * @param virtualService {@code namespace/name} of the deciding VirtualService, {@code null} for the
 *                       default route to a Service or for {@link #none}
 * @param rule           index of the matching http rule, -1 when no VirtualService decided
 * @param destinations   weighted destinations; empty for {@link #none} and for a rule that only redirects or answers
 * @param timeout        the route timeout, {@code null} when none is set
 * @param retries        the retry policy, {@code null} when none is set
 * @param extras         the rule's redirect, direct response, rewrite, header operations, fault, mirror and CORS;
 *                       {@link HttpRouteExtras#NONE} when it has none (and for tls/tcp and default routes)
 * @param matchedPrefix  the part of the path the matching block's {@code uri} condition matched, which a
 *                       {@code rewrite.uri} replaces (as Envoy's prefix rewrite): a {@code prefix} match's value, an
 *                       {@code exact} match's value (the whole path); {@code null} when the block had no uri condition,
 *                       a regex one, or the rule has no match blocks (the rewrite then replaces {@code /})
 */
public record RouteDecision(@Nullable String virtualService, int rule, List<WeightedDestination> destinations,
        @Nullable Duration timeout, @Nullable RetryPolicy retries, HttpRouteExtras extras,
        @Nullable String matchedPrefix) {

    private static final RouteDecision NONE = new RouteDecision(null, -1, List.of(), null, null);

    public RouteDecision {
        destinations = List.copyOf(destinations);
        requireNonNull(extras, "extras");
    }

    /** A decision without extras. */
    public RouteDecision(@Nullable String virtualService, int rule, List<WeightedDestination> destinations,
            @Nullable Duration timeout, @Nullable RetryPolicy retries) {
        this(virtualService, rule, destinations, timeout, retries, HttpRouteExtras.NONE, null);
    }

    public static RouteDecision none() {
        return NONE;
    }

    public boolean routed() {
        return !destinations.isEmpty();
    }

    /** This decision with another matched prefix (the engine prebuilds one per match block). */
    public RouteDecision withMatchedPrefix(@Nullable String prefix) {
        return new RouteDecision(virtualService, rule, destinations, timeout, retries, extras, prefix);
    }
}
