package dev.meshpilot.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.proxy.internal.Exchanges;
import dev.meshpilot.proxy.internal.Headers;
import dev.meshpilot.proxy.internal.Servers;
import io.undertow.Undertow;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redirect parts the engine does not expose yet ({@code scheme}, {@code port}), applied by {@link RouteActions} on a
 * real Undertow exchange: an https redirect drops the http default port, an explicit port replaces the authority's.
 */
class RedirectSchemeTest {

    private final AtomicReference<RouteExtras> extras = new AtomicReference<>(RouteExtras.NONE);
    private final Undertow server = Servers.start("127.0.0.1", List.of(new Servers.Listener(0, exchange ->
            exchange.dispatch(() -> {
                exchange.startBlocking();
                Attempt a = new Attempt(Instant.now(), exchange.getRequestMethod().toString(),
                        Exchanges.authority(exchange), Exchanges.pathAndQuery(exchange));
                try {
                    if (!RouteActions.answerLocally(exchange, a, extras.get(), Headers.requestHeaders(exchange))) {
                        Exchanges.text(exchange, 200, "forwarded");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }))));
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        http.shutdownNow();
        server.stop();
    }

    @Test
    void anHttpsRedirectDropsTheHttpDefaultPort() throws Exception {
        extras.set(redirect(new RouteExtras.Redirect(null, "secure.example.com:80", "https", null, 302)));

        HttpResponse<String> response = get("/a?b=c");

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("location")).hasValue("https://secure.example.com/a?b=c");
    }

    @Test
    void anExplicitPortReplacesTheAuthoritysPort() throws Exception {
        extras.set(redirect(new RouteExtras.Redirect("/next?x=1", "other.example.com:8080", null, 9443, 307)));

        HttpResponse<String> response = get("/a?b=c");

        assertThat(response.statusCode()).isEqualTo(307);
        assertThat(response.headers().firstValue("location")).hasValue("http://other.example.com:9443/next?x=1");
    }

    @Test
    void aRouteWithoutRedirectIsForwarded() throws Exception {
        assertThat(get("/").body()).isEqualTo("forwarded");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Servers.address(server, 0).getPort()
                + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static RouteExtras redirect(RouteExtras.Redirect redirect) {
        return new RouteExtras(redirect, null, null, RouteExtras.HeaderEdits.NONE, RouteExtras.HeaderEdits.NONE, null,
                null, null);
    }
}
