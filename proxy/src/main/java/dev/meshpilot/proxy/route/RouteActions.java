package dev.meshpilot.proxy.route;

import dev.meshpilot.proxy.internal.Authorities;
import dev.meshpilot.proxy.internal.Exchanges;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;

/**
 * A route's extras applied with Envoy's semantics: redirects and direct responses answered by the proxy, fault
 * injection ({@code DI} delay, {@code FI} abort), request rewrite and header edits before forwarding, response header
 * edits and CORS headers before answering.
 */
final class RouteActions {

    /** Envoy's body of an aborted request. */
    static final String ABORT_BODY = "fault filter abort";

    private RouteActions() {}

    /**
     * Answers what the route answers itself and injects faults, in the order of Istio's filter chain: CORS preflight,
     * fault delay and abort, then the router's redirect or direct response. True when the request was answered and
     * must not be forwarded.
     */
    static boolean answerLocally(HttpServerExchange exchange, Attempt a, RouteExtras x, Map<String, List<String>> headers)
            throws InterruptedException {
        if (x.cors() != null && CorsPolicy.answerPreflight(exchange, a, x.cors(), headers)) {
            return true;
        }
        RouteExtras.Fault fault = x.fault();
        if (fault != null) {
            if (fault.delay() != null && !fault.delay().isZero() && percent() < fault.delayPercent()) {
                a.faultDelayed = true;
                Thread.sleep(fault.delay());
            }
            if (fault.abortStatus() > 0 && percent() < fault.abortPercent()) {
                a.fail(exchange, fault.abortStatus(), "FI", ABORT_BODY);
                return true;
            }
        }
        if (x.redirect() != null) {
            redirect(exchange, a, x.redirect());
            return true;
        }
        if (x.directResponse() != null) {
            a.status = x.directResponse().status();
            a.bytesSent = send(exchange, a.status, x.directResponse().body());
            return true;
        }
        return false;
    }

    /** Rewrites the path and authority ({@code x-envoy-original-path} keeps the old path) and edits the headers. */
    static void editRequest(Attempt a, Map<String, List<String>> headers, RouteExtras x) {
        RouteExtras.Rewrite rewrite = x.rewrite();
        if (rewrite != null) {
            String rewritten = rewritePath(a.path, rewrite);
            if (!rewritten.equals(a.path)) {
                headers.put("x-envoy-original-path", List.of(a.path));
                a.path = rewritten;
            }
            if (rewrite.authority() != null) {
                a.authority = rewrite.authority();
            }
        }
        RouteExtras.HeaderEdits edits = x.request();
        if (edits.isEmpty()) {
            return;
        }
        edits.remove().forEach(headers::remove);
        edits.set().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), List.of(value)));
        edits.add().forEach((name, value) -> headers.merge(name.toLowerCase(Locale.ROOT), List.of(value), (old, v) -> {
            List<String> all = new ArrayList<>(old);
            all.addAll(v);
            return List.copyOf(all);
        }));
    }

    /** Edits every response of this request just before its headers go out (upstream answers and local replies). */
    static void editResponse(HttpServerExchange exchange, RouteExtras x, Map<String, List<String>> requestHeaders) {
        RouteExtras.HeaderEdits edits = x.response();
        String origin = first(requestHeaders, "origin");
        boolean cors = x.cors() != null && origin != null && CorsPolicy.allows(x.cors(), origin);
        if (edits.isEmpty() && !cors) {
            return;
        }
        exchange.addResponseCommitListener(ex -> {
            HeaderMap out = ex.getResponseHeaders();
            edits.remove().forEach(name -> out.remove(name));
            edits.set().forEach((name, value) -> out.put(HttpString.tryFromString(name), value));
            edits.add().forEach((name, value) -> out.add(HttpString.tryFromString(name), value));
            if (cors) {
                CorsPolicy.addResponseHeaders(out, x.cors(), origin);
            }
        });
    }

    /** {@code path} (with its query) after a prefix or regex rewrite. */
    static String rewritePath(String path, RouteExtras.Rewrite rewrite) {
        int q = path.indexOf('?');
        String bare = q < 0 ? path : path.substring(0, q);
        String query = q < 0 ? "" : path.substring(q);
        if (rewrite.regex() != null && rewrite.substitution() != null) {
            return rewrite.regex().matcher(bare).replaceAll(javaReplacement(rewrite.substitution())) + query;
        }
        if (rewrite.uri() == null) {
            return path;
        }
        String prefix = rewrite.matchedPrefix();
        if (bare.length() >= prefix.length() && bare.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return rewrite.uri() + bare.substring(prefix.length()) + query;
        }
        return path;
    }

    private static void redirect(HttpServerExchange exchange, Attempt a, RouteExtras.Redirect r) {
        String scheme = r.scheme() != null ? r.scheme() : exchange.getRequestScheme();
        String authority = r.authority() != null ? r.authority() : a.authority;
        if (r.port() != null) {
            authority = Authorities.hostOf(authority) + ":" + r.port();
        } else if (r.scheme() != null) {
            int port = Authorities.portOf(authority, -1);
            if ((scheme.equals("https") && port == 80) || (scheme.equals("http") && port == 443)) {
                authority = Authorities.hostOf(authority); // the new scheme's default port
            }
        }
        String path = a.path;
        if (r.uri() != null) {
            int q = a.path.indexOf('?');
            path = r.uri().contains("?") || q < 0 ? r.uri() : r.uri() + a.path.substring(q);
        }
        a.status = r.code();
        exchange.getResponseHeaders().put(io.undertow.util.Headers.LOCATION, scheme + "://" + authority + path);
        a.bytesSent = send(exchange, a.status, null);
    }

    private static long send(HttpServerExchange exchange, int status, @org.jspecify.annotations.Nullable String body) {
        if (Exchanges.responded(exchange)) {
            return 0;
        }
        if (body != null) {
            return Exchanges.text(exchange, status, body);
        }
        exchange.setStatusCode(status);
        Exchanges.send(exchange, ByteBuffer.wrap(new byte[0]));
        return 0;
    }

    static @org.jspecify.annotations.Nullable String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A uniformly random percentile in [0, 100). */
    private static double percent() {
        return ThreadLocalRandom.current().nextDouble(100);
    }

    /** Envoy's (RE2) substitution with {@code \\1} groups as a {@link Matcher} replacement. */
    static String javaReplacement(String substitution) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < substitution.length(); i++) {
            char c = substitution.charAt(i);
            if (c == '\\' && i + 1 < substitution.length() && Character.isDigit(substitution.charAt(i + 1))) {
                out.append('$').append(substitution.charAt(++i));
            } else {
                out.append(Matcher.quoteReplacement(String.valueOf(c)));
            }
        }
        return out.toString();
    }
}
