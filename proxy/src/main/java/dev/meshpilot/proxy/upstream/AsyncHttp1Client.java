package dev.meshpilot.proxy.upstream;

import static java.util.Objects.requireNonNull;

import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.DefaultByteBufferPool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.xnio.IoFuture;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.ssl.SslConnection;

/**
 * The non-blocking counterpart of {@link Http1Client} (plaintext or TLS), run on the XNIO I/O thread of the
 * downstream exchange: no thread hand-off between the downstream request, the upstream exchange and the answer.
 * Same behaviour: one request per connection at a time, written in one call; the response read in full; idle
 * keep-alive connections per I/O thread and address (most recently used first, at most {@code maxIdlePerEndpoint},
 * closed after {@code maxIdleTime} or when the peer closes them); an idempotent request whose pooled connection turns
 * out to be closed by the peer (nothing received) is sent once more on a new connection; failures are
 * {@link Http1Client.RequestException}s with the same {@link Http1Client.Failure}s. Call {@link #send} on
 * {@code thread}; the callback runs on it. TLS works in tests but stalled some exchanges under concurrent load in the
 * two-hop benchmark: the proxy sends mutual-TLS tries with {@link Http1Client} for now.
 */
public final class AsyncHttp1Client implements AutoCloseable {

    private static final OptionMap OPTIONS = OptionMap.create(Options.TCP_NODELAY, true);

    /** What becomes of one request; called on the I/O thread. */
    public interface Callback {
        void completed(UpstreamResponse response);

        void failed(Http1Client.RequestException e);
    }

    /** TLS packet buffers: 17 KiB hold a whole TLS record. */
    private static final DefaultByteBufferPool TLS_BUFFERS = new DefaultByteBufferPool(true, 17 * 1024, 64, 4);

    private record Key(XnioIoThread thread, Object poolKey) {}

    private final int connectTimeoutMillis;
    private final int maxIdlePerEndpoint;
    private final long maxIdleNanos;
    private final ConcurrentMap<Key, ArrayDeque<AsyncHttp1Connection>> idle = new ConcurrentHashMap<>();
    private final ConcurrentMap<SSLContext, UndertowXnioSsl> tlsByContext = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public AsyncHttp1Client() {
        this((int) Http1Client.DEFAULT_CONNECT_TIMEOUT.toMillis(), Http1Client.DEFAULT_MAX_IDLE_PER_ENDPOINT,
                Http1Client.DEFAULT_MAX_IDLE_TIME.toNanos());
    }

    AsyncHttp1Client(int connectTimeoutMillis, int maxIdlePerEndpoint, long maxIdleNanos) {
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.maxIdlePerEndpoint = maxIdlePerEndpoint;
        this.maxIdleNanos = maxIdleNanos;
    }

    /**
     * Sends {@code request[0, length)} (request line, headers, body) to {@code address} (resolved) and reads the
     * response before {@code deadline} ({@link System#nanoTime()}), on {@code thread}, the caller's I/O thread.
     */
    public void send(XnioIoThread thread, InetSocketAddress address, byte[] request, int length, boolean head,
            boolean idempotent, long deadline, Callback callback) {
        send(thread, address, address, null, request, length, head, idempotent, deadline, callback);
    }

    /**
     * As {@link #send(XnioIoThread, InetSocketAddress, byte[], int, boolean, boolean, long, Callback)}, over TLS with
     * {@code tls} when it is not null (as {@link Http1Client#send}: the handshake is part of the try).
     *
     * @param poolKey which idle connections may carry it: the address plus whatever else distinguishes them (the
     *                identities the server must prove)
     */
    public void send(XnioIoThread thread, InetSocketAddress address, Object poolKey, @Nullable SSLContext tls,
            byte[] request, int length, boolean head, boolean idempotent, long deadline, Callback callback) {
        requireNonNull(address, "address");
        requireNonNull(callback, "callback");
        Key key = new Key(requireNonNull(thread, "thread"), requireNonNull(poolKey, "poolKey"));
        AsyncHttp1Connection pooled = poll(key, tls, System.nanoTime());
        if (pooled == null) {
            connect(key, address, tls, request, length, head, deadline, callback);
            return;
        }
        pooled.send(request, length, head, deadline, new AsyncHttp1Connection.Listener() {
            @Override
            public void response(UpstreamResponse response, boolean reusable) {
                release(key, pooled, reusable);
                callback.completed(response);
            }

            @Override
            public void failed(IOException e) {
                if (!idempotent || !pooled.receivedNothing() || e instanceof SocketTimeoutException || closed) {
                    callback.failed(Http1Client.failureOf(e));
                } else { // the peer closed the idle connection: once more on a new one
                    connect(key, address, tls, request, length, head, deadline, callback);
                }
            }
        });
    }

    private void connect(Key key, InetSocketAddress address, @Nullable SSLContext tls, byte[] request, int length,
            boolean head, long deadline, Callback callback) {
        long remainingMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        boolean cutByDeadline = remainingMillis < connectTimeoutMillis;
        int connectMillis = (int) Math.min(connectTimeoutMillis, remainingMillis);
        IoFuture<StreamConnection> future = key.thread().openStreamConnection(address, c -> { }, OPTIONS);
        XnioExecutor.Key timer = key.thread().executeAfter(future::cancel, connectMillis, TimeUnit.MILLISECONDS);
        future.addNotifier((f, ignored) -> {
            timer.remove();
            switch (f.getStatus()) {
                case DONE -> {
                    AsyncHttp1Connection fresh;
                    try {
                        fresh = tls == null ? new AsyncHttp1Connection(f.get(), null)
                                : new AsyncHttp1Connection(handshake(key.thread(), f.get(), tls), tls);
                    } catch (IOException e) {
                        callback.failed(Http1Client.failureOf(new Http1Connection.ConnectFailure(e.toString(), false, e)));
                        return;
                    }
                    fresh.send(request, length, head, deadline, new AsyncHttp1Connection.Listener() {
                        @Override
                        public void response(UpstreamResponse response, boolean reusable) {
                            release(key, fresh, reusable);
                            callback.completed(response);
                        }

                        @Override
                        public void failed(IOException e) {
                            callback.failed(Http1Client.failureOf(e));
                        }
                    });
                }
                case FAILED -> {
                    IOException e = f.getException();
                    callback.failed(Http1Client.failureOf(new Http1Connection.ConnectFailure(e.toString(), false, e)));
                }
                default -> callback.failed(Http1Client.failureOf(new Http1Connection.ConnectFailure(
                        "connect timed out after " + connectMillis + " ms: " + address, cutByDeadline,
                        new SocketTimeoutException("connect timed out"))));
            }
        }, null);
    }

    /** Client TLS over a new connection; the handshake goes on as the request is written. */
    private SslConnection handshake(XnioIoThread thread, StreamConnection connection, SSLContext tls)
            throws IOException {
        UndertowXnioSsl ssl = tlsByContext.get(tls);
        if (ssl == null) {
            if (tlsByContext.size() >= 16) {
                tlsByContext.clear(); // contexts change with certificate rotation and peer sets
            }
            ssl = new UndertowXnioSsl(thread.getWorker().getXnio(), OptionMap.EMPTY, TLS_BUFFERS, tls);
            tlsByContext.put(tls, ssl);
        }
        SslConnection connected = ssl.wrapExistingConnection(connection, OptionMap.EMPTY, true);
        connected.startHandshake();
        return connected;
    }

    /** An idle open connection for {@code key} made with {@code tls}, or null. */
    private @Nullable AsyncHttp1Connection poll(Key key, @Nullable SSLContext tls, long now) {
        ArrayDeque<AsyncHttp1Connection> connections = idle.get(key);
        if (connections == null) {
            return null;
        }
        while (true) {
            AsyncHttp1Connection c;
            synchronized (connections) {
                c = connections.pollFirst();
            }
            if (c == null) {
                return null;
            }
            if (c.isOpen() && c.context() == tls && now - c.idleSince < maxIdleNanos) {
                return c;
            }
            c.close();
        }
    }

    /** Keeps a connection whose response was read in full for the next request, or closes it. */
    private void release(Key key, AsyncHttp1Connection connection, boolean reusable) {
        if (!reusable || closed) {
            connection.close();
            return;
        }
        long now = System.nanoTime();
        connection.idleSince = now;
        ArrayDeque<AsyncHttp1Connection> connections = idle.computeIfAbsent(key, k -> new ArrayDeque<>(4));
        boolean kept;
        synchronized (connections) {
            // the least recently used end: connections idle too long (the peer did not close them) go
            while (!connections.isEmpty() && now - connections.peekLast().idleSince >= maxIdleNanos) {
                connections.pollLast().close();
            }
            kept = connections.size() < maxIdlePerEndpoint && connections.offerFirst(connection);
        }
        if (!kept) {
            connection.close();
        }
    }

    /** The number of idle pooled connections (for tests and diagnostics). */
    public int idleConnections() {
        int n = 0;
        for (ArrayDeque<AsyncHttp1Connection> connections : idle.values()) {
            synchronized (connections) {
                n += connections.size();
            }
        }
        return n;
    }

    @Override
    public void close() {
        closed = true;
        for (ArrayDeque<AsyncHttp1Connection> connections : idle.values()) {
            synchronized (connections) {
                connections.forEach(AsyncHttp1Connection::close);
                connections.clear();
            }
        }
        idle.clear();
    }
}
