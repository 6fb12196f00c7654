package dev.meshpilot.proxy.upstream;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Idle keep-alive connections per endpoint (address and TLS identity set): the most recently used first, at most
 * {@code maxIdlePerKey} each, closed when idle longer than {@code maxIdleNanos} or when their TLS context is not the
 * one a request asks for any more (the trust bundle or expected identities changed).
 */
final class ConnectionPool implements AutoCloseable {

    private final int maxIdlePerKey;
    private final long maxIdleNanos;
    private final ConcurrentMap<Object, ArrayDeque<Http1Connection>> idle = new ConcurrentHashMap<>();
    private volatile long lastSweep = System.nanoTime();
    private volatile boolean closed;

    ConnectionPool(int maxIdlePerKey, long maxIdleNanos) {
        this.maxIdlePerKey = maxIdlePerKey;
        this.maxIdleNanos = maxIdleNanos;
    }

    /** An idle connection for {@code key} made with {@code context}, or null. */
    @Nullable Http1Connection poll(Object key, @Nullable SSLContext context, long now) {
        ArrayDeque<Http1Connection> connections = idle.get(key);
        if (connections == null) {
            return null;
        }
        while (true) {
            Http1Connection c;
            synchronized (connections) {
                c = connections.pollFirst();
            }
            if (c == null) {
                return null;
            }
            if (c.context() == context && now - c.idleSince < maxIdleNanos) {
                return c;
            }
            c.close();
        }
    }

    /** Keeps {@code connection} for the next request to {@code key}, or closes it when the pool is full. */
    void offer(Object key, Http1Connection connection, long now) {
        if (closed) {
            connection.close();
            return;
        }
        connection.idleSince = now;
        ArrayDeque<Http1Connection> connections = idle.computeIfAbsent(key, k -> new ArrayDeque<>(4));
        boolean kept;
        synchronized (connections) {
            kept = connections.size() < maxIdlePerKey && connections.offerFirst(connection);
        }
        if (!kept) {
            connection.close();
        }
        if (now - lastSweep > maxIdleNanos) {
            lastSweep = now;
            sweep(now);
        }
    }

    int idleCount() {
        int n = 0;
        for (ArrayDeque<Http1Connection> connections : idle.values()) {
            synchronized (connections) {
                n += connections.size();
            }
        }
        return n;
    }

    /** Closes the connections idle for too long (empty queues stay: an offer may be using one). */
    private void sweep(long now) {
        for (ArrayDeque<Http1Connection> connections : idle.values()) {
            synchronized (connections) {
                connections.removeIf(c -> {
                    boolean old = now - c.idleSince >= maxIdleNanos;
                    if (old) {
                        c.close();
                    }
                    return old;
                });
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (ArrayDeque<Http1Connection> connections : idle.values()) {
            synchronized (connections) {
                connections.forEach(Http1Connection::close);
                connections.clear();
            }
        }
        idle.clear();
    }
}
