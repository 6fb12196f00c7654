package dev.meshpilot.proxy.internal;

import dev.meshpilot.proxy.upstream.UpstreamResponse;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Answers an exchange (already dispatched and blocking); returns the number of body bytes sent. */
public final class Exchanges {

    private static final AttachmentKey<Boolean> RESPONDED = AttachmentKey.create(Boolean.class);

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

    /** Whether a response was started or handed to the I/O thread already. */
    public static boolean responded(HttpServerExchange exchange) {
        return exchange.isResponseStarted() || exchange.getAttachment(RESPONDED) != null;
    }

    /**
     * Sends {@code body} with the status and headers set so far and ends the exchange, on the connection's I/O thread
     * (see {@link BlockingDispatch}). After this call, the calling thread leaves the exchange alone.
     */
    public static void send(HttpServerExchange exchange, ByteBuffer body) {
        exchange.putAttachment(RESPONDED, Boolean.TRUE);
        if (exchange.isInIoThread()) {
            exchange.getResponseSender().send(body);
        } else {
            exchange.getIoThread().execute(() -> exchange.getResponseSender().send(body));
        }
    }

    public static long text(HttpServerExchange exchange, int status, String body) {
        if (responded(exchange)) {
            return 0;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        send(exchange, ByteBuffer.wrap(bytes));
        return bytes.length;
    }

    public static long relay(HttpServerExchange exchange, UpstreamResponse response) {
        if (responded(exchange)) {
            return 0;
        }
        exchange.setStatusCode(response.statusCode());
        Headers.copyResponse(response, exchange);
        byte[] body = response.body();
        send(exchange, ByteBuffer.wrap(body));
        return body.length;
    }
}
