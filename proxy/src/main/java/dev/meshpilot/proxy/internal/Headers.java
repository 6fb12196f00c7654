package dev.meshpilot.proxy.internal;

import dev.meshpilot.proxy.upstream.UpstreamResponse;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/** Header copying between Undertow exchanges and upstream messages, without hop-by-hop headers. */
public final class Headers {

    /** Headers a proxy never forwards (hop-by-hop) or that the HTTP client sets itself. */
    private static final Set<String> SKIPPED = Set.of("connection", "content-length", "host", "upgrade", "expect",
            "keep-alive", "proxy-connection", "proxy-authorization", "proxy-authenticate", "transfer-encoding", "te", "trailer",
            "http2-settings", ":status");

    private Headers() {}

    public static boolean forwardable(String name) {
        // a switch rather than SKIPPED.contains: called for every header of every request and response
        return switch (name) {
            case "connection", "content-length", "host", "upgrade", "expect", "keep-alive", "proxy-connection",
                    "proxy-authorization", "proxy-authenticate", "transfer-encoding", "te", "trailer",
                    "http2-settings", ":status" -> false;
            default -> lowerCase(name) || !SKIPPED.contains(name.toLowerCase(Locale.ROOT));
        };
    }

    private static boolean lowerCase(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return false;
            }
        }
        return true;
    }

    /** Every request header, lower-case names, in arrival order. */
    public static Map<String, List<String>> requestHeaders(HttpServerExchange exchange) {
        Map<String, List<String>> all = new LinkedHashMap<>();
        for (HeaderValues values : exchange.getRequestHeaders()) {
            all.put(values.getHeaderName().toString().toLowerCase(Locale.ROOT), List.copyOf(values));
        }
        return all;
    }

    public static @Nullable String request(HttpServerExchange exchange, String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** Copies the forwardable headers of {@code headers} to {@code setHeader}. */
    public static void copy(Map<String, List<String>> headers, BiConsumer<String, String> setHeader) {
        headers.forEach((name, values) -> {
            if (forwardable(name)) {
                values.forEach(v -> setHeader.accept(name, v));
            }
        });
    }

    /** Copies an upstream response's forwardable headers onto the exchange's response. */
    public static void copyResponse(UpstreamResponse from, HttpServerExchange to) {
        io.undertow.util.HeaderMap target = to.getResponseHeaders();
        for (UpstreamResponse.Header h : from.headers()) {
            if (forwardable(h.name())) {
                target.add(io.undertow.util.HttpString.tryFromString(h.name()), h.value());
            }
        }
    }
}
