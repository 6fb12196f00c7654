package dev.meshpilot.proxy.internal;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import java.net.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/** Header copying between Undertow exchanges and java.net.http messages, without hop-by-hop headers. */
public final class Headers {

    /** Headers a proxy never forwards (hop-by-hop) or that the HTTP client sets itself. */
    private static final Set<String> SKIPPED = Set.of("connection", "content-length", "host", "upgrade", "expect",
            "keep-alive", "proxy-connection", "proxy-authorization", "transfer-encoding", "te", "trailer",
            "http2-settings", ":status");

    private Headers() {}

    public static boolean forwardable(String name) {
        return !SKIPPED.contains(name.toLowerCase(Locale.ROOT));
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
    public static void copyResponse(HttpHeaders from, HttpServerExchange to) {
        from.map().forEach((name, values) -> {
            if (forwardable(name)) {
                to.getResponseHeaders().putAll(io.undertow.util.HttpString.tryFromString(name), values);
            }
        });
    }
}
