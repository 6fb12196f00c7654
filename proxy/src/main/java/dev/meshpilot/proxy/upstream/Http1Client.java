package dev.meshpilot.proxy.upstream;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * A small HTTP/1.1 client over pooled keep-alive blocking sockets, meant to be called from virtual threads: one
 * request per connection at a time, written in one call, the response read in full. A request that finds its pooled
 * connection closed by the peer (nothing received) is sent again once on a new connection when it is idempotent.
 */
public final class Http1Client implements AutoCloseable {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_MAX_IDLE_PER_ENDPOINT = 64;
    public static final Duration DEFAULT_MAX_IDLE_TIME = Duration.ofSeconds(30);

    private final int connectTimeoutMillis;
    private final ConnectionPool pool;

    public Http1Client() {
        this(DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_IDLE_PER_ENDPOINT, DEFAULT_MAX_IDLE_TIME);
    }

    public Http1Client(Duration connectTimeout, int maxIdlePerEndpoint, Duration maxIdleTime) {
        requireNonNull(connectTimeout, "connectTimeout");
        requireNonNull(maxIdleTime, "maxIdleTime");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout: " + connectTimeout + " (expected: > 0)");
        }
        if (maxIdlePerEndpoint < 0) {
            throw new IllegalArgumentException("maxIdlePerEndpoint: " + maxIdlePerEndpoint + " (expected: >= 0)");
        }
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        this.pool = new ConnectionPool(maxIdlePerEndpoint, maxIdleTime.toNanos());
    }

    /** Why a request got no response. */
    public enum Failure {
        /** No connection: refused, unreachable, or the connect timeout passed. */
        CONNECT,
        /** The deadline passed (connecting, handshaking, writing or reading). */
        TIMEOUT,
        /** The connection failed after it was made: reset, closed early, TLS refused, a malformed response. */
        RESET
    }

    /** The request failed; {@link #failure()} says how. */
    public static final class RequestException extends IOException {
        private final Failure failure;
        private final @Nullable String transportFailure;

        RequestException(Failure failure, IOException cause) {
            super(cause.toString(), cause);
            this.failure = failure;
            this.transportFailure = TransportFailures.reason(cause);
        }

        public Failure failure() {
            return failure;
        }

        /**
         * Why TLS failed on the connection (a refused certificate, an alert from the server), as Envoy's
         * {@code upstream_transport_failure_reason}; null when TLS was not what failed.
         */
        public @Nullable String transportFailure() {
            return transportFailure;
        }
    }

    /**
     * Sends {@code request} (request line, headers and body, {@code length} bytes) to {@code address} and reads the
     * response before {@code deadline} ({@link System#nanoTime()}).
     *
     * @param poolKey    which idle connections may carry it: the address plus whatever else distinguishes them
     *                   (the identities the server must prove)
     * @param tls        the client TLS context; null for plaintext
     * @param head       the request is a HEAD request (its response has no body)
     * @param idempotent it may be sent again when a pooled connection turns out to be closed by the peer
     */
    public UpstreamResponse send(InetSocketAddress address, Object poolKey, @Nullable SSLContext tls, byte[] request,
            int length, boolean head, boolean idempotent, long deadline)
            throws RequestException, InterruptedException {
        return send(address, poolKey, tls, null, request, length, head, idempotent, deadline);
    }

    /** As {@link #send(InetSocketAddress, Object, SSLContext, byte[], int, boolean, boolean, long)}, with an SNI. */
    public UpstreamResponse send(InetSocketAddress address, Object poolKey, @Nullable SSLContext tls,
            @Nullable String sni, byte[] request, int length, boolean head, boolean idempotent, long deadline)
            throws RequestException, InterruptedException {
        requireNonNull(address, "address");
        requireNonNull(poolKey, "poolKey");
        requireNonNull(request, "request");
        Http1Connection pooled = pool.poll(poolKey, tls, System.nanoTime());
        if (pooled != null) {
            try {
                return exchange(poolKey, pooled, request, length, head, deadline);
            } catch (IOException e) {
                pooled.close();
                if (!idempotent || !pooled.receivedNothing() || e instanceof SocketTimeoutException) {
                    throw failure(e);
                }
                // the peer closed the idle connection: once more on a new one
            }
        }
        Http1Connection fresh = connect(address, tls, sni, deadline);
        try {
            return exchange(poolKey, fresh, request, length, head, deadline);
        } catch (IOException e) {
            IOException reported = tls != null && fresh.receivedNothing() && !(e instanceof SocketTimeoutException)
                    && TransportFailures.reason(e) == null ? fresh.refusal(e) : e;
            fresh.close();
            throw failure(reported);
        }
    }

    /** The number of idle pooled connections (for tests and diagnostics). */
    public int idleConnections() {
        return pool.idleCount();
    }

    @Override
    public void close() {
        pool.close();
    }

    private UpstreamResponse exchange(Object key, Http1Connection connection, byte[] request, int length,
            boolean head, long deadline) throws IOException {
        connection.write(request, length);
        UpstreamResponse response = connection.read(head, deadline);
        if (connection.reusable()) {
            pool.offer(key, connection, System.nanoTime());
        } else {
            connection.close();
        }
        return response;
    }

    private Http1Connection connect(InetSocketAddress address, @Nullable SSLContext tls, @Nullable String sni,
            long deadline) throws RequestException, InterruptedException {
        long remainingMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        boolean cutByDeadline = remainingMillis < connectTimeoutMillis;
        try {
            return Http1Connection.open(address, tls, sni, (int) Math.min(connectTimeoutMillis, remainingMillis),
                    cutByDeadline, deadline);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private static RequestException failure(IOException e) throws InterruptedException {
        if (Thread.interrupted() || e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) {
            throw new InterruptedException(e.toString());
        }
        return failureOf(e);
    }

    /** The {@link RequestException} for an I/O failure of a try (also {@link AsyncHttp1Client}'s). */
    static RequestException failureOf(IOException e) {
        if (e instanceof Http1Connection.ConnectFailure connect) {
            return new RequestException(connect.deadline() ? Failure.TIMEOUT : Failure.CONNECT, e);
        }
        if (e instanceof SocketTimeoutException) {
            return new RequestException(Failure.TIMEOUT, e);
        }
        return new RequestException(Failure.RESET, e);
    }
}
