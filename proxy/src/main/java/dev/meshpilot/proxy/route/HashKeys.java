package dev.meshpilot.proxy.route;

import dev.meshpilot.policy.route.TrafficPolicy.ConsistentHash;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The consistent-hash key of a request, as a DestinationRule's {@code consistentHash} names it: a header, a cookie,
 * the source IP or a query parameter. A cookie with a {@code ttl} that the request lacks is generated, as Envoy
 * does: the request hashes on the new value and the response sets it, so the client's next requests stick.
 */
final class HashKeys {

    private HashKeys() {}

    /** The key, or null when the request has none (it is then balanced round robin). */
    static @Nullable String of(ConsistentHash hash, HttpServerExchange exchange, Map<String, List<String>> headers,
            String path) {
        String name = hash.name() == null ? "" : hash.name();
        return switch (hash.hashOn()) {
            case "httpHeaderName" -> RouteActions.first(headers, name.toLowerCase(java.util.Locale.ROOT));
            case "httpCookie" -> cookie(hash, name, exchange, headers);
            case "useSourceIp" -> {
                InetSocketAddress source = exchange.getSourceAddress();
                yield source == null || source.getAddress() == null ? null : source.getAddress().getHostAddress();
            }
            case "httpQueryParameterName" -> query(path, name);
            default -> null;
        };
    }

    private static @Nullable String cookie(ConsistentHash hash, String name, HttpServerExchange exchange,
            Map<String, List<String>> headers) {
        String value = cookieValue(headers.getOrDefault("cookie", List.of()), name);
        if (value != null || hash.ttl() == null) {
            return value;
        }
        String generated = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        String setCookie = name + "=\"" + generated + "\"" + (hash.ttl().isZero() ? ""
                : "; Max-Age=" + hash.ttl().toSeconds()) + "; HttpOnly";
        exchange.addResponseCommitListener(ex -> ex.getResponseHeaders().add(Headers.SET_COOKIE, setCookie));
        return generated;
    }

    /** The value of cookie {@code name} in {@code Cookie} headers (quotes removed), or null. */
    static @Nullable String cookieValue(List<String> cookieHeaders, String name) {
        for (String header : cookieHeaders) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    String v = pair.substring(eq + 1).trim();
                    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
                }
            }
        }
        return null;
    }

    private static @Nullable String query(String path, String name) {
        int q = path.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : path.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
