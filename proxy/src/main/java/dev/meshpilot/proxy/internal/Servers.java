package dev.meshpilot.proxy.internal;

import static java.util.Objects.requireNonNull;

import io.undertow.Undertow;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/** Small Undertow servers: one I/O thread, handlers dispatch blocking work to virtual threads. */
public final class Servers {

    /**
     * One buffer pool for every server of the process (a fleet runs hundreds): direct 8 KiB buffers, up to 256 kept
     * for reuse, 8 per I/O thread. Undertow's default pool keeps none outside its per-thread caches (its maximum
     * pool size is -1), so every buffer allocated on one thread and released on another was allocated and freed
     * again, and with under 128 MB of heap its buffers are 1 KiB.
     */
    private static final DefaultByteBufferPool BUFFERS = new DefaultByteBufferPool(true, 8 * 1024, 256, 8);

    private Servers() {}

    /** A started server with one listener per handler, in order; port 0 picks a free port. */
    public static Undertow start(String host, List<Listener> listeners) {
        requireNonNull(host, "host");
        Undertow.Builder builder = Undertow.builder().setIoThreads(1).setWorkerThreads(1)
                .setByteBufferPool(BUFFERS);
        for (Listener l : listeners) {
            builder.addHttpListener(l.port(), host, l.handler());
        }
        Undertow server = builder.build();
        server.start();
        return server;
    }

    /**
     * The HTTP/1.1 protocol of a listener that accepts connections itself (TLS sniffing, SNI passthrough):
     * {@code root} serves what it hands over, with unpooled direct 16 KiB buffers.
     */
    public static HttpOpenListener http(HttpHandler root) {
        HttpOpenListener http = new HttpOpenListener(new DefaultByteBufferPool(true, 16 * 1024, -1, 0),
                OptionMap.EMPTY);
        http.setRootHandler(requireNonNull(root, "root"));
        return http;
    }

    /**
     * A TCP server on {@code bind} (TCP_NODELAY, address reuse, backlog 1000) that hands each accepted connection to
     * {@code accepted}, accepting already.
     */
    public static AcceptingChannel<StreamConnection> acceptOn(XnioWorker worker, InetSocketAddress bind,
            ChannelListener<StreamConnection> accepted) throws IOException {
        AcceptingChannel<StreamConnection> server = worker.createStreamConnectionServer(bind,
                ChannelListeners.openListenerAdapter(accepted), OptionMap.builder().set(Options.TCP_NODELAY, true)
                        .set(Options.REUSE_ADDRESSES, true).set(Options.BACKLOG, 1000).getMap());
        server.resumeAccepts();
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
