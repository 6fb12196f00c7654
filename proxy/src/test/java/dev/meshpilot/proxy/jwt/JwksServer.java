package dev.meshpilot.proxy.jwt;

import dev.meshpilot.proxy.internal.Servers;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A real local JWKS endpoint whose document can be swapped; counts the fetches. */
final class JwksServer implements AutoCloseable {

    private final AtomicReference<String> body;
    private final AtomicInteger fetches = new AtomicInteger();
    private final Undertow server;

    JwksServer(String json) {
        this.body = new AtomicReference<>(json);
        this.server = Servers.start("127.0.0.1", List.of(new Servers.Listener(0, exchange -> {
            fetches.incrementAndGet();
            exchange.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send(body.get(), StandardCharsets.UTF_8);
        })));
    }

    URI uri() {
        InetSocketAddress a = Servers.address(server, 0);
        return URI.create("http://127.0.0.1:" + a.getPort() + "/.well-known/jwks.json");
    }

    void serve(String json) {
        body.set(json);
    }

    int fetches() {
        return fetches.get();
    }

    @Override
    public void close() {
        server.stop();
    }
}
