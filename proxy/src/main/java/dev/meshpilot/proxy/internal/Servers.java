package dev.meshpilot.proxy.internal;

import static java.util.Objects.requireNonNull;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;
import java.util.List;

/** Small Undertow servers: one I/O thread, handlers dispatch blocking work to virtual threads. */
public final class Servers {

    private Servers() {}

    /** A started server with one listener per handler, in order; port 0 picks a free port. */
    public static Undertow start(String host, List<Listener> listeners) {
        requireNonNull(host, "host");
        Undertow.Builder builder = Undertow.builder().setIoThreads(1).setWorkerThreads(1);
        for (Listener l : listeners) {
            builder.addHttpListener(l.port(), host, l.handler());
        }
        Undertow server = builder.build();
        server.start();
        return server;
    }

    /** The bound address of the server's {@code index}-th listener. */
    public static InetSocketAddress address(Undertow server, int index) {
        return (InetSocketAddress) server.getListenerInfo().get(index).getAddress();
    }

    public record Listener(int port, HttpHandler handler) {
        public Listener {
            requireNonNull(handler, "handler");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
            }
        }
    }
}
