package dev.meshpilot.proxy.gateway.tls;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.egress.ClientHelloSni;
import dev.meshpilot.proxy.internal.Servers;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Buffers;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;
import org.xnio.conduits.PushBackStreamSourceConduit;

/**
 * The gateway's HTTPS port: reads each connection's ClientHello (without answering it), picks the Gateway server by
 * its SNI ({@link TlsServer#select}), then either terminates TLS with that server's certificate and hands the
 * connection to the HTTP handler, or passes it through ({@link Passthrough}). A connection that matches no server,
 * is not TLS, or sends no ClientHello within 10 s is closed with a log line.
 */
public final class HttpsListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpsListener.class);
    private static final int MAX_HELLO = 5 + 16_384 + 2_048;
    private static final long HELLO_TIMEOUT_MILLIS = 10_000;

    private final int serverPort;
    private final Executor executor;
    private final Passthrough passthrough;
    private final HttpOpenListener http;
    private final AcceptingChannel<StreamConnection> server;
    private volatile List<TlsServer> servers = List.of();

    private HttpsListener(XnioWorker worker, InetSocketAddress bind, int serverPort, HttpHandler handler,
            Passthrough passthrough, Executor executor) {
        this.serverPort = serverPort;
        this.executor = executor;
        this.passthrough = passthrough;
        this.http = Servers.http(handler);
        try {
            this.server = Servers.acceptOn(worker, bind, this::accepted);
        } catch (IOException e) {
            throw new UncheckedIOException("istio-ingressgateway: cannot listen on " + bind + " (HTTPS): "
                    + e.getMessage(), e);
        }
    }

    /**
     * Listens on {@code host:port} (0 = any free port) for the Gateway servers of port {@code serverPort} (443).
     *
     * @param handler where terminated requests go (the gateway's routing)
     */
    public static HttpsListener start(XnioWorker worker, String host, int port, int serverPort, HttpHandler handler,
            Passthrough passthrough, Executor executor) {
        requireNonNull(worker, "worker");
        requireNonNull(host, "host");
        requireNonNull(handler, "handler");
        requireNonNull(passthrough, "passthrough");
        requireNonNull(executor, "executor");
        return new HttpsListener(worker, new InetSocketAddress(host, port), serverPort, handler, passthrough,
                executor);
    }

    /** Serves {@code next} from the next connection on (established connections keep their server). */
    public void serve(List<TlsServer> next) {
        servers = List.copyOf(next);
    }

    public List<TlsServer> servers() {
        return servers;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalAddress();
    }

    private void accepted(StreamConnection connection) {
        Hello hello = new Hello();
        XnioExecutor.Key timeout = connection.getIoThread().executeAfter(() -> {
            if (!hello.done) {
                LOG.info("istio-ingressgateway: closed a connection from {}: no ClientHello within {} ms",
                        connection.getPeerAddress(), HELLO_TIMEOUT_MILLIS);
                IoUtils.safeClose(connection);
            }
        }, HELLO_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        connection.getSourceChannel().setReadListener(channel -> read(connection, hello, timeout));
        connection.getSourceChannel().resumeReads();
    }

    private void read(StreamConnection connection, Hello hello, XnioExecutor.Key timeout) {
        int read;
        try {
            read = connection.getSourceChannel().read(hello.buffer);
        } catch (IOException e) {
            read = -1;
        }
        if (read < 0) {
            finish(connection, hello, timeout);
            IoUtils.safeClose(connection);
            return;
        }
        int needed = hello.needed();
        if (needed > 0) {
            return;
        }
        finish(connection, hello, timeout);
        if (needed < 0) {
            LOG.info("istio-ingressgateway: closed a connection from {} on the HTTPS port: not a TLS ClientHello",
                    connection.getPeerAddress());
            IoUtils.safeClose(connection);
            return;
        }
        dispatch(connection, hello.bytes());
    }

    private static void finish(StreamConnection connection, Hello hello, XnioExecutor.Key timeout) {
        hello.done = true;
        timeout.remove();
        connection.getSourceChannel().suspendReads();
        connection.getSourceChannel().setReadListener(null);
    }

    private void dispatch(StreamConnection connection, byte[] hello) {
        String sni = ClientHelloSni.serverName(hello);
        TlsServer chosen = TlsServer.select(servers, sni);
        if (chosen == null) {
            LOG.info("istio-ingressgateway: closed a TLS connection from {} for SNI {}: no Gateway server on port "
                    + "{} serves that host", connection.getPeerAddress(), sni == null ? "(none)" : sni, serverPort);
            IoUtils.safeClose(connection);
            return;
        }
        if (chosen.passthrough()) {
            if (sni == null) {
                LOG.info("istio-ingressgateway: closed a TLS connection from {}: PASSTHROUGH needs SNI ({})",
                        connection.getPeerAddress(), chosen.server().where());
                IoUtils.safeClose(connection);
                return;
            }
            executor.execute(() -> passthrough.relay(connection, hello, sni, serverPort));
            return;
        }
        PushBackStreamSourceConduit pushBack =
                new PushBackStreamSourceConduit(connection.getSourceChannel().getConduit());
        pushBack.pushBack(Buffers.pooledWrapper(ByteBuffer.wrap(hello)));
        connection.getSourceChannel().setConduit(pushBack);
        http.handleEvent(requireNonNull(chosen.ssl(), "ssl").wrapExistingConnection(connection, chosen.options(),
                false));
    }

    @Override
    public void close() {
        IoUtils.safeClose(server);
        http.closeConnections();
    }

    /** The bytes of the first TLS record, read as they come. */
    private static final class Hello {
        final ByteBuffer buffer = ByteBuffer.allocate(MAX_HELLO);
        volatile boolean done;

        /** Bytes still missing for the whole record; 0 when complete; -1 when it is not a TLS handshake record. */
        int needed() {
            int have = buffer.position();
            if (have >= 1 && buffer.get(0) != 0x16) {
                return -1;
            }
            if (have < 5) {
                return 5 - have;
            }
            int length = ((buffer.get(3) & 0xff) << 8) | (buffer.get(4) & 0xff);
            if (5 + length > MAX_HELLO) {
                return -1;
            }
            return Math.max(0, 5 + length - have);
        }

        byte[] bytes() {
            return Arrays.copyOf(buffer.array(), buffer.position());
        }
    }

    @Override
    public String toString() {
        return "HttpsListener[" + address() + ", " + servers.size() + " server(s)]";
    }
}
