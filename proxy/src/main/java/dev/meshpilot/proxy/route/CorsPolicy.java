package dev.meshpilot.proxy.route;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Envoy's CORS filter for a route's {@code corsPolicy}: a preflight ({@code OPTIONS} with {@code Origin} and
 * {@code Access-Control-Request-Method}) from an allowed origin is answered by the proxy; an actual request from an
 * allowed origin gets {@code Access-Control-Allow-Origin} and friends on its response; a request from any other
 * origin is forwarded unchanged and answered without CORS headers.
 */
final class CorsPolicy {

    static final HttpString ALLOW_ORIGIN = HttpString.tryFromString("access-control-allow-origin");
    static final HttpString ALLOW_METHODS = HttpString.tryFromString("access-control-allow-methods");
    static final HttpString ALLOW_HEADERS = HttpString.tryFromString("access-control-allow-headers");
    static final HttpString MAX_AGE = HttpString.tryFromString("access-control-max-age");
    static final HttpString ALLOW_CREDENTIALS = HttpString.tryFromString("access-control-allow-credentials");
    static final HttpString EXPOSE_HEADERS = HttpString.tryFromString("access-control-expose-headers");

    /** Regular expressions among allowed origins, compiled once; an entry that is no regex maps to a never-match. */
    private static final ConcurrentMap<String, Pattern> PATTERNS = new ConcurrentHashMap<>();
    private static final Pattern NEVER = Pattern.compile("(?!)");
    private static final int MAX_PATTERNS = 1024;

    private CorsPolicy() {}

    /** Answers a preflight from an allowed origin (200, no body); false for any other request. */
    static boolean answerPreflight(HttpServerExchange exchange, Attempt a, RouteExtras.Cors cors,
            Map<String, List<String>> headers) {
        String origin = RouteActions.first(headers, "origin");
        if (!a.method.equals("OPTIONS") || origin == null
                || RouteActions.first(headers, "access-control-request-method") == null || !allows(cors, origin)) {
            return false;
        }
        HeaderMap out = exchange.getResponseHeaders();
        out.put(ALLOW_ORIGIN, origin);
        if (!cors.allowMethods().isEmpty()) {
            out.put(ALLOW_METHODS, String.join(",", cors.allowMethods()));
        }
        if (!cors.allowHeaders().isEmpty()) {
            out.put(ALLOW_HEADERS, String.join(",", cors.allowHeaders()));
        }
        if (cors.maxAge() != null) {
            out.put(MAX_AGE, Long.toString(cors.maxAge().toSeconds()));
        }
        if (cors.allowCredentials()) {
            out.put(ALLOW_CREDENTIALS, "true");
        }
        a.status = 200;
        exchange.setStatusCode(200);
        dev.meshpilot.proxy.internal.Exchanges.send(exchange, ByteBuffer.wrap(new byte[0]));
        return true;
    }

    /** The headers an allowed origin's actual request gets on its response. */
    static void addResponseHeaders(HeaderMap out, RouteExtras.Cors cors, String origin) {
        out.put(ALLOW_ORIGIN, origin);
        if (cors.allowCredentials()) {
            out.put(ALLOW_CREDENTIALS, "true");
        }
        if (!cors.exposeHeaders().isEmpty()) {
            out.put(EXPOSE_HEADERS, String.join(",", cors.exposeHeaders()));
        }
    }

    /** Whether {@code origin} is allowed: {@code *}, an exact origin, a prefix ending with {@code *}, or a regex. */
    static boolean allows(RouteExtras.Cors cors, String origin) {
        for (String allowed : cors.allowOrigins()) {
            if (allowed.equals("*") || allowed.equals(origin)
                    || (allowed.endsWith("*") && origin.startsWith(allowed.substring(0, allowed.length() - 1)))
                    || pattern(allowed).matcher(origin).matches()) {
                return true;
            }
        }
        return false;
    }

    private static Pattern pattern(String allowed) {
        Pattern p = PATTERNS.get(allowed);
        if (p == null) {
            try {
                p = Pattern.compile(allowed);
            } catch (PatternSyntaxException e) {
                p = NEVER;
            }
            if (PATTERNS.size() >= MAX_PATTERNS) {
                PATTERNS.clear();
            }
            PATTERNS.put(allowed, p);
        }
        return p;
    }
}
