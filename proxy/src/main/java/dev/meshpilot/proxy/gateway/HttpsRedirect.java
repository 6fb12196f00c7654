package dev.meshpilot.proxy.gateway;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.internal.Exchanges;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * {@code tls.httpsRedirect: true} on an HTTP Gateway server: a request whose host that server serves (the most
 * specific host match among the HTTP servers of the port) gets 301 to {@code https://} with the same host and path.
 * The port follows the client: none when it named none (443 implied, as Istio answers), the gateway's HTTPS port
 * when it named one (the embedded gateway is reached by its ports directly). Other requests go to {@code next}.
 */
final class HttpsRedirect implements HttpHandler {

    private final HttpHandler next;
    private final IntSupplier httpsPort;
    private volatile List<GatewayServer> servers = List.of();

    HttpsRedirect(HttpHandler next, IntSupplier httpsPort) {
        this.next = requireNonNull(next, "next");
        this.httpsPort = requireNonNull(httpsPort, "httpsPort");
    }

    /** The HTTP servers of the port this handler serves (those with and without httpsRedirect). */
    void serve(List<GatewayServer> next) {
        servers = List.copyOf(next);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String authority = exchange.getRequestHeaders().getFirst(Headers.HOST);
        if (authority == null || !redirects(HostPatterns.hostOf(authority))) {
            next.handleRequest(exchange);
            return;
        }
        String host = HostPatterns.hostOf(authority);
        boolean namedPort = authority.length() > host.length();
        String location = "https://" + host + (namedPort ? ":" + httpsPort.getAsInt() : "")
                + Exchanges.pathAndQuery(exchange);
        exchange.setStatusCode(301);
        exchange.getResponseHeaders().put(Headers.LOCATION, location);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
        exchange.endExchange();
    }

    private boolean redirects(String host) {
        GatewayServer best = null;
        int bestScore = -1;
        for (GatewayServer s : servers) {
            int score = s.specificity(host);
            if (score > bestScore) {
                best = s;
                bestScore = score;
            }
        }
        return best != null && best.tls() != null && best.tls().httpsRedirect();
    }
}
