package dev.meshpilot.proxy.tls;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.security.MtlsMode;
import dev.meshpilot.proxy.internal.Servers;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Buffers;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.SslClientAuthMode;
import org.xnio.StreamConnection;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;
import org.xnio.conduits.PushBackStreamSourceConduit;

/**
 * A sidecar's inbound port as Istio serves it: mutual TLS (a client certificate of the mesh's trust bundle is
 * required) and/or plaintext on the same port, by the workload's mTLS mode read anew for every connection. The first
 * byte a client sends decides: {@code 0x16} (a TLS handshake record) goes through TLS, anything else is plaintext
 * HTTP. STRICT refuses plaintext, DISABLE refuses TLS (both logged and closed), PERMISSIVE serves both. The byte is
 * pushed back, so Undertow's HTTP (or TLS) reader sees the connection from its start. Every exchange carries the
 * {@link dev.meshpilot.proxy.identity.PeerPrincipal} the transport proved.
 */
public final class InboundListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InboundListener.class);
    private static final byte TLS_HANDSHAKE = 0x16;
    private static final long REFUSAL_LOG_INTERVAL_NANOS = 1_000_000_000L;
    /**
     * Buffers of the TLS records. No per-thread cache: responses are written from short-lived virtual threads, whose
     * thread-local caches would keep direct buffers until a GC (and exhaust a small -XX:MaxDirectMemorySize).
     */
    private static final DefaultByteBufferPool SSL_BUFFERS = new DefaultByteBufferPool(true, 17 * 1024, 1024, 0);
    private static final OptionMap CLIENT_CERTIFICATE_REQUIRED =
            OptionMap.create(Options.SSL_CLIENT_AUTH_MODE, SslClientAuthMode.REQUIRED);

    private final String proxyId;
    private final ProxyIdentity identity;
    private final Supplier<MtlsMode> mode;
    private final XnioWorker worker;
    private final HttpOpenListener http;
    private final AcceptingChannel<StreamConnection> server;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refusedPlaintext = new AtomicLong();
    private final AtomicLong refusedTls = new AtomicLong();
    private final AtomicLong lastRefusalLog = new AtomicLong(System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS);
    private final AtomicLong unloggedRefusals = new AtomicLong();
    private volatile @Nullable Ssl ssl;
    /** Open connections by transport, so a mode change can close those the new mode refuses. */
    private final Set<StreamConnection> plaintext = ConcurrentHashMap.newKeySet();
    private final Set<StreamConnection> mutual = ConcurrentHashMap.newKeySet();

    private record Ssl(SSLContext context, UndertowXnioSsl xnio) {}

    private InboundListener(String proxyId, ProxyIdentity identity, Supplier<MtlsMode> mode, XnioWorker worker,
            HttpHandler handler, InetSocketAddress bind) {
        this.proxyId = proxyId;
        this.identity = identity;
        this.mode = mode;
        this.worker = worker;
        this.http = Servers.http(new PeerPrincipalHandler(handler));
        try {
            this.server = Servers.acceptOn(worker, bind, this::accepted);
        } catch (IOException e) {
            throw new UncheckedIOException(proxyId + ": cannot listen on " + bind + ": " + e.getMessage(), e);
        }
    }

    /**
     * Listens on {@code host:port} (0 = any free port) with {@code worker}'s I/O threads.
     *
     * @param mode asked once per accepted connection (a snapshot swap changes it without a restart)
     */
    public static InboundListener start(XnioWorker worker, String host, int port, HttpHandler handler,
            ProxyIdentity identity, Supplier<MtlsMode> mode, String proxyId) {
        requireNonNull(worker, "worker");
        requireNonNull(host, "host");
        requireNonNull(handler, "handler");
        requireNonNull(identity, "identity");
        requireNonNull(mode, "mode");
        requireNonNull(proxyId, "proxyId");
        return new InboundListener(proxyId, identity, mode, worker, handler, new InetSocketAddress(host, port));
    }

    /** The mode of {@code self}'s workload port {@code port} in the proxy's current snapshot (PERMISSIVE before one). */
    public static Supplier<MtlsMode> modeOf(Supplier<@Nullable MeshSnapshot> snapshot, ProxyRef self, int port) {
        requireNonNull(snapshot, "snapshot");
        requireNonNull(self, "self");
        return () -> {
            MeshSnapshot current = snapshot.get();
            return current == null ? MtlsMode.PERMISSIVE : current.mtlsMode(self.namespace(), self.labels(), port);
        };
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalAddress();
    }

    /** Connections accepted since the start (served or refused). */
    public long accepted() {
        return accepted.get();
    }

    /** Plaintext connections refused because the mode was STRICT. */
    public long refusedPlaintext() {
        return refusedPlaintext.get();
    }

    /** TLS connections refused because the mode was DISABLE. */
    public long refusedTls() {
        return refusedTls.get();
    }

    private void accepted(StreamConnection connection) {
        accepted.incrementAndGet();
        connection.getSourceChannel().setReadListener(channel -> sniff(connection));
        connection.getSourceChannel().resumeReads();
    }

    private void sniff(StreamConnection connection) {
        ByteBuffer first = ByteBuffer.allocate(1);
        int read;
        try {
            read = connection.getSourceChannel().read(first);
        } catch (IOException e) {
            IoUtils.safeClose(connection);
            return;
        }
        if (read == 0) {
            return;
        }
        connection.getSourceChannel().suspendReads();
        connection.getSourceChannel().setReadListener(null);
        if (read < 0) {
            IoUtils.safeClose(connection);
            return;
        }
        first.flip();
        boolean tls = first.get(0) == TLS_HANDSHAKE;
        MtlsMode now = mode.get();
        if (!tls && now == MtlsMode.STRICT) {
            refusedPlaintext.incrementAndGet();
            refuse(connection, "plaintext", "STRICT (expected: mutual TLS with a certificate of the mesh)");
            return;
        }
        if (tls && now == MtlsMode.DISABLE) {
            refusedTls.incrementAndGet();
            refuse(connection, "TLS", "DISABLE (expected: plaintext)");
            return;
        }
        PushBackStreamSourceConduit pushBack =
                new PushBackStreamSourceConduit(connection.getSourceChannel().getConduit());
        pushBack.pushBack(Buffers.pooledWrapper(first));
        connection.getSourceChannel().setConduit(pushBack);
        track(tls ? mutual : plaintext, connection);
        if (tls) {
            http.handleEvent(ssl().wrapExistingConnection(connection, CLIENT_CERTIFICATE_REQUIRED, false));
        } else {
            http.handleEvent(connection);
        }
    }

    /** Closes a refused connection; logs at most one line per second (with the count of those not logged). */
    private void refuse(StreamConnection connection, String transport, String reason) {
        long now = System.nanoTime();
        long last = lastRefusalLog.get();
        if (now - last >= REFUSAL_LOG_INTERVAL_NANOS && lastRefusalLog.compareAndSet(last, now)) {
            long quiet = unloggedRefusals.getAndSet(0);
            LOG.warn("{}: refused a {} connection from {}: mTLS mode {}{}", proxyId, transport,
                    connection.getPeerAddress(), reason, quiet == 0 ? "" : " (" + quiet + " more refused before)");
        } else {
            unloggedRefusals.incrementAndGet();
        }
        IoUtils.safeClose(connection);
    }

    /**
     * Applies the current mode to established connections (call after a snapshot swap): STRICT closes plaintext
     * connections, DISABLE closes mutual TLS ones. Returns how many were closed.
     */
    public int enforce() {
        MtlsMode now = mode.get();
        Set<StreamConnection> refused = now == MtlsMode.STRICT ? plaintext : now == MtlsMode.DISABLE ? mutual : null;
        prune(plaintext);
        prune(mutual);
        if (refused == null || refused.isEmpty()) {
            return 0;
        }
        int closed = 0;
        for (StreamConnection connection : List.copyOf(refused)) {
            refused.remove(connection);
            if (connection.isOpen()) {
                LOG.warn("{}: closing an established {} connection from {}: mTLS mode is now {}", proxyId,
                        refused == plaintext ? "plaintext" : "mutual TLS", connection.getPeerAddress(), now);
                IoUtils.safeClose(connection);
                closed++;
            }
        }
        return closed;
    }

    private static void track(Set<StreamConnection> connections, StreamConnection connection) {
        if (connections.size() >= 256) {
            prune(connections);
        }
        connections.add(connection);
    }

    private static void prune(Set<StreamConnection> connections) {
        connections.removeIf(c -> !c.isOpen());
    }

    private UndertowXnioSsl ssl() {
        SSLContext context = identity.serverContext();
        Ssl now = ssl;
        if (now == null || now.context() != context) {
            now = new Ssl(context, new UndertowXnioSsl(worker.getXnio(), OptionMap.EMPTY, SSL_BUFFERS, context));
            ssl = now;
        }
        return now.xnio();
    }

    @Override
    public void close() {
        IoUtils.safeClose(server);
        http.closeConnections();
    }

    @Override
    public String toString() {
        return "InboundListener[" + proxyId + " " + address() + "]";
    }
}
