package dev.meshpilot.proxy.route;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What an http route does besides choosing destinations, as the policy-engine decided it for one request: redirect,
 * direct response, rewrite, header edits, fault injection, mirror and CORS. Immutable; {@link #NONE} for a route
 * without any of them.
 */
public record RouteExtras(@Nullable Redirect redirect, @Nullable DirectResponse directResponse,
        @Nullable Rewrite rewrite, HeaderEdits request, HeaderEdits response, @Nullable Fault fault,
        @Nullable Mirror mirror, @Nullable Cors cors) {

    public static final RouteExtras NONE = new RouteExtras(null, null, null, HeaderEdits.NONE, HeaderEdits.NONE, null,
            null, null);

    public RouteExtras {
        requireNonNull(request, "request");
        requireNonNull(response, "response");
    }

    /** Whether the proxy answers the request itself instead of forwarding it. */
    public boolean answersLocally() {
        return redirect != null || directResponse != null;
    }

    /**
     * Envoy's redirect: each absent part keeps the request's.
     *
     * @param uri   the new path (with its own query, else the request's query is kept)
     * @param port  the new port, null to keep the authority's
     * @param code  301, 302, 303, 307 or 308
     */
    public record Redirect(@Nullable String uri, @Nullable String authority, @Nullable String scheme,
            @Nullable Integer port, int code) {
        public Redirect {
            if (code < 300 || code > 399) {
                throw new IllegalArgumentException("redirectCode: " + code + " (expected: 3xx)");
            }
        }
    }

    /** @param body null for an empty body */
    public record DirectResponse(int status, @Nullable String body) {
        public DirectResponse {
            if (status < 200 || status > 599) {
                throw new IllegalArgumentException("directResponse.status: " + status + " (expected: 200..599)");
            }
        }
    }

    /**
     * Envoy's prefix rewrite ({@code uri}: the part of the path that the route matched, {@code matchedPrefix},
     * is replaced), or a regex rewrite ({@code regex} with {@code substitution}, {@code \1} groups), and the new
     * authority. Null fields leave that part alone.
     */
    public record Rewrite(@Nullable String uri, String matchedPrefix, @Nullable Pattern regex,
            @Nullable String substitution, @Nullable String authority) {
        public Rewrite {
            requireNonNull(matchedPrefix, "matchedPrefix");
            if ((regex == null) != (substitution == null)) {
                throw new IllegalArgumentException("uriRegexRewrite: match and rewrite go together (expected: both)");
            }
        }
    }

    /** Envoy's order: remove first, then set (replaces), then add (appends). Names are lower case. */
    public record HeaderEdits(Map<String, String> set, Map<String, String> add, List<String> remove) {
        public static final HeaderEdits NONE = new HeaderEdits(Map.of(), Map.of(), List.of());

        public HeaderEdits {
            set = Map.copyOf(set);
            add = Map.copyOf(add);
            remove = List.copyOf(remove);
        }

        public boolean isEmpty() {
            return set.isEmpty() && add.isEmpty() && remove.isEmpty();
        }
    }

    /**
     * Fault injection: a fixed {@code delay} for {@code delayPercent} of requests (null: none), then an abort with
     * {@code abortStatus} for {@code abortPercent} of requests (0: none). Percentages are 0..100.
     */
    public record Fault(@Nullable Duration delay, double delayPercent, int abortStatus, double abortPercent) {}

    /** A copy of each of {@code percent} of requests to {@code host} (a Service FQDN or external host). */
    public record Mirror(String host, @Nullable String subset, @Nullable Integer port, double percent) {
        public Mirror {
            requireNonNull(host, "host");
        }
    }

    /**
     * A CORS policy. {@code allowOrigins} entries are exact origins, {@code *}, prefixes ending with {@code *}, or
     * regular expressions.
     */
    public record Cors(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
            List<String> exposeHeaders, @Nullable Duration maxAge, boolean allowCredentials) {
        public Cors {
            allowOrigins = List.copyOf(allowOrigins);
            allowMethods = List.copyOf(allowMethods);
            allowHeaders = List.copyOf(allowHeaders);
            exposeHeaders = List.copyOf(exposeHeaders);
        }
    }
}
