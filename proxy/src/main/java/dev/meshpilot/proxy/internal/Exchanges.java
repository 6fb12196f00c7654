package dev.meshpilot.proxy.internal;

import dev.meshpilot.proxy.upstream.UpstreamResponse;
import io.undertow.server.HttpServerExchange;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Answers an exchange (already dispatched and blocking); returns the number of body bytes sent. */
public final class Exchanges {

    private Exchanges() {}

    /** The request target without scheme and authority, with its query string. */
    public static String pathAndQuery(HttpServerExchange exchange) {
        String uri = exchange.getRequestURI();
        if (exchange.isHostIncludedInRequestURI()) {
            int scheme = uri.indexOf("://");
            int slash = scheme < 0 ? -1 : uri.indexOf('/', scheme + 3);
            uri = slash < 0 ? "/" : uri.substring(slash);
        }
        String query = exchange.getQueryString();
        return query == null || query.isEmpty() ? uri : uri + "?" + query;
    }

    /** The Host header, or the address the request came in on. */
    public static String authority(HttpServerExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst(io.undertow.util.Headers.HOST);
        if (host != null && !host.isBlank()) {
            return host;
        }
        return exchange.getHostAndPort();
    }

    public static long text(HttpServerExchange exchange, int status, String body) {
        if (exchange.isResponseStarted()) {
            return 0;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
        return bytes.length;
    }

    public static long relay(HttpServerExchange exchange, UpstreamResponse response) {
        if (exchange.isResponseStarted()) {
            return 0;
        }
        exchange.setStatusCode(response.statusCode());
        Headers.copyResponse(response, exchange);
        byte[] body = response.body();
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
        return body.length;
    }
}
