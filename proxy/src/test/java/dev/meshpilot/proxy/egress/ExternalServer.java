package dev.meshpilot.proxy.egress;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP server standing in for a host outside the mesh (like ifconfig.co, it answers the caller's address),
 * and a {@link HostResolver} that maps the given external names to it and refuses every other name, so no test
 * ever asks the real DNS or leaves the loopback interface.
 */
final class ExternalServer implements AutoCloseable {

    private final HttpServer server;
    private final List<String> hostHeaders = new CopyOnWriteArrayList<>();

    ExternalServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            hostHeaders.add(String.valueOf(exchange.getRequestHeaders().getFirst("Host")));
            byte[] body = ("external " + exchange.getRemoteAddress().getAddress().getHostAddress())
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<String> hostHeaders() {
        return List.copyOf(hostHeaders);
    }

    /** Resolves each of {@code names} to this server; any other name fails like an unknown host. */
    HostResolver resolver(String... names) {
        Map<String, Boolean> known = new java.util.HashMap<>();
        for (String name : names) {
            known.put(name, true);
        }
        return (host, port) -> {
            if (!known.containsKey(host)) {
                throw new UnknownHostException(host + " (test resolver: not an allowed name)");
            }
            return new InetSocketAddress("127.0.0.1", port); // a literal: no lookup
        };
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
