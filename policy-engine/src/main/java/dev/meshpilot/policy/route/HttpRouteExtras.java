package dev.meshpilot.policy.route;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What an http rule does besides choosing destinations, as written in the VirtualService (v1alpha3, v1beta1 and v1
 * spellings read into one model): redirect, direct response, rewrite, header operations, fault injection, mirror and
 * CORS. Immutable and built once per rule at compile time; {@link #NONE} for a rule without any of them.
 *
 * @param requestHeaders  {@code headers.request} (plus the older {@code appendHeaders}, {@code appendRequestHeaders},
 *                        {@code removeRequestHeaders})
 * @param responseHeaders {@code headers.response} (plus {@code appendResponseHeaders}, {@code removeResponseHeaders})
 */
public record HttpRouteExtras(@Nullable Redirect redirect, @Nullable DirectResponse directResponse,
        @Nullable Rewrite rewrite, HeaderOperations requestHeaders, HeaderOperations responseHeaders,
        @Nullable Fault fault, @Nullable Mirror mirror, @Nullable CorsPolicy corsPolicy) {

    public static final HttpRouteExtras NONE = new HttpRouteExtras(null, null, null, HeaderOperations.NONE,
            HeaderOperations.NONE, null, null, null);

    public HttpRouteExtras {
        requireNonNull(requestHeaders, "requestHeaders");
        requireNonNull(responseHeaders, "responseHeaders");
    }

    /** Whether the rule has none of the extras. */
    public boolean isEmpty() {
        return equals(NONE);
    }

    /**
     * An HTTP redirect; each absent part keeps the request's.
     *
     * @param uri          the new path (with its own query, else the request's query is kept)
     * @param scheme       {@code http} or {@code https}
     * @param port         the new port
     * @param derivePort   {@code FROM_PROTOCOL_DEFAULT} or {@code FROM_REQUEST_PORT}, null when not set
     * @param redirectCode 301 unless set
     */
    public record Redirect(@Nullable String uri, @Nullable String authority, @Nullable String scheme,
            @Nullable Integer port, @Nullable String derivePort, int redirectCode) {}

    /** A response the proxy gives itself; {@code body} null for an empty body ({@code body.bytes} decoded as UTF-8). */
    public record DirectResponse(int status, @Nullable String body) {}

    /**
     * A rewrite before forwarding: {@code uri} replaces the part of the path the route matched (see
     * {@link RouteDecision#matchedPrefix()}), or {@code uriRegexRewrite} rewrites the whole path; {@code authority}
     * replaces the Host. Null parts leave that part alone.
     */
    public record Rewrite(@Nullable String uri, @Nullable RegexRewrite uriRegexRewrite, @Nullable String authority) {}

    /** Istio's {@code uriRegexRewrite}: every match of the RE2 {@code match} is replaced by {@code rewrite} (\1 groups). */
    public record RegexRewrite(String match, String rewrite) {
        public RegexRewrite {
            requireNonNull(match, "match");
            requireNonNull(rewrite, "rewrite");
        }
    }

    /** Header operations in Envoy's order: remove, then set (replaces), then add (appends). Names as written. */
    public record HeaderOperations(Map<String, String> set, Map<String, String> add, List<String> remove) {
        public static final HeaderOperations NONE = new HeaderOperations(Map.of(), Map.of(), List.of());

        public HeaderOperations {
            set = Map.copyOf(set);
            add = Map.copyOf(add);
            remove = List.copyOf(remove);
        }

        public boolean isEmpty() {
            return set.isEmpty() && add.isEmpty() && remove.isEmpty();
        }
    }

    /** Fault injection: a delay, then an abort, each for its percentage of requests; either may be null. */
    public record Fault(@Nullable Delay delay, @Nullable Abort abort) {}

    /** @param percentage 0..100 ({@code percentage.value}, or the older integer {@code percent}); 100 when not set */
    public record Delay(Duration fixedDelay, double percentage) {
        public Delay {
            requireNonNull(fixedDelay, "fixedDelay");
        }
    }

    /** @param percentage 0..100; 100 when not set */
    public record Abort(int httpStatus, double percentage) {}

    /**
     * A copy of {@code percentage} of the requests to {@code host} (an FQDN: short names resolved in the
     * VirtualService's namespace); {@code mirrorPercentage.value} or the older {@code mirrorPercent}, 100 when not set.
     */
    public record Mirror(String host, @Nullable String subset, @Nullable Integer port, double percentage) {
        public Mirror {
            requireNonNull(host, "host");
        }
    }

    /**
     * A CORS policy. {@code allowOrigins} holds v1's typed {@code allowOrigins} and the older {@code allowOrigin}
     * strings (exact; {@code *} allows any origin).
     */
    public record CorsPolicy(List<OriginMatch> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
            List<String> exposeHeaders, @Nullable Duration maxAge, @Nullable Boolean allowCredentials) {
        public CorsPolicy {
            allowOrigins = List.copyOf(allowOrigins);
            allowMethods = List.copyOf(allowMethods);
            allowHeaders = List.copyOf(allowHeaders);
            exposeHeaders = List.copyOf(exposeHeaders);
        }
    }

    /** Istio's StringMatch for an origin; a regex is a full match. */
    public record OriginMatch(MatchKind kind, String value) {
        public OriginMatch {
            requireNonNull(kind, "kind");
            requireNonNull(value, "value");
        }

        public static OriginMatch exact(String value) {
            return new OriginMatch(MatchKind.EXACT, value);
        }
    }

    public enum MatchKind { EXACT, PREFIX, REGEX }
}
