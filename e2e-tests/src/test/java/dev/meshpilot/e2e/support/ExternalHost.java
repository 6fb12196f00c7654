package dev.meshpilot.e2e.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A host outside the mesh played by a local HTTP server on 127.0.0.1 and a free port (for example ifconfig.co,
 * mapped there with {@code --resolve}): answers every request with a fixed text and counts what it received.
 */
public final class ExternalHost implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicReference<String> lastHostHeader = new AtomicReference<>("");

    private ExternalHost(HttpServer server) {
        this.server = server;
    }

    public static ExternalHost answering(String text) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            ExternalHost host = new ExternalHost(server);
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            server.createContext("/", exchange -> {
                host.requests.incrementAndGet();
                host.lastHostHeader.set(String.valueOf(exchange.getRequestHeaders().getFirst("Host")));
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return host;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the external host", e);
        }
    }

    /** {@code 127.0.0.1:PORT}, the right-hand side of a {@code --resolve} entry. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public int requests() {
        return requests.get();
    }

    /** The {@code Host} header of the last request received ("" before the first). */
    public String lastHostHeader() {
        return lastHostHeader.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
