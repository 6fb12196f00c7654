package dev.meshpilot.proxy.route;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.route.TrafficPolicy.ConnectionPool;
import io.undertow.server.HttpServerExchange;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Envoy's circuit breakers of one proxy, per upstream cluster, as a DestinationRule's {@code connectionPool} sets
 * them (0 or absent: no limit): at most {@code http2MaxRequests} requests in flight, at most {@code maxConnections}
 * upstream connections (one HTTP/1.1 request each); a request past the connections waits while fewer than
 * {@code http1MaxPendingRequests} wait. Any other request overflows: 503 with flag {@code UO}.
 */
final class ConnectionLimits {

    /** Envoy's answer to an overflowing request. */
    static final String OVERFLOW = "upstream connect error or disconnect/reset before headers. reset reason: overflow";

    /** Released when the request is done with the cluster. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private static final Permit UNLIMITED = () -> {};

    private final ConcurrentMap<String, Cluster> clusters = new ConcurrentHashMap<>();

    /**
     * A permit for one request to {@code cluster}, waiting in the pending queue until {@code deadlineNanos} at most;
     * null when the request overflows.
     */
    @Nullable Permit acquire(String cluster, @Nullable ConnectionPool pool, long deadlineNanos)
            throws InterruptedException {
        if (unlimited(pool)) {
            return UNLIMITED;
        }
        int maxRequests = limit(pool.http2MaxRequests());
        int maxConnections = limit(pool.maxConnections());
        int maxPending = limit(pool.http1MaxPendingRequests());
        Cluster c = clusters.computeIfAbsent(cluster, k -> new Cluster());
        return c.acquire(maxRequests, maxConnections, maxPending, deadlineNanos) ? c::release : null;
    }

    /** Whether {@code pool} limits nothing: {@link #acquire} never waits nor refuses. */
    static boolean unlimited(@Nullable ConnectionPool pool) {
        return pool == null
                || (limit(pool.http2MaxRequests()) == Integer.MAX_VALUE && limit(pool.maxConnections()) == Integer.MAX_VALUE);
    }

    /** A permit for {@code a}'s cluster, or null after answering 503 {@code UO} (Envoy's overflow). */
    @Nullable Permit acquireOrAnswer(HttpServerExchange exchange, Attempt a, @Nullable ConnectionPool pool,
            long deadlineNanos) throws InterruptedException {
        Permit permit = acquire(requireNonNull(a.cluster, "cluster"), pool, deadlineNanos);
        if (permit == null) {
            a.fail(exchange, 503, "UO", OVERFLOW);
        }
        return permit;
    }

    /** Requests in flight to {@code cluster} now. */
    int active(String cluster) {
        Cluster c = clusters.get(cluster);
        return c == null ? 0 : c.active();
    }

    private static int limit(@Nullable Integer value) {
        return value == null || value <= 0 ? Integer.MAX_VALUE : value;
    }

    private static final class Cluster {
        private int active;
        private int pending;

        /** Past {@code maxRequests} a request overflows at once; past the connections it may wait. */
        synchronized boolean acquire(int maxRequests, int maxConnections, int maxPending, long deadlineNanos)
                throws InterruptedException {
            if (active >= maxRequests) {
                return false;
            }
            if (active < maxConnections) {
                active++;
                return true;
            }
            if (pending >= maxPending) {
                return false;
            }
            pending++;
            try {
                while (active >= Math.min(maxRequests, maxConnections)) {
                    long wait = deadlineNanos - System.nanoTime();
                    if (wait <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, wait);
                }
                active++;
                return true;
            } finally {
                pending--;
            }
        }

        synchronized void release() {
            active--;
            notifyAll();
        }

        synchronized int active() {
            return active;
        }
    }
}
