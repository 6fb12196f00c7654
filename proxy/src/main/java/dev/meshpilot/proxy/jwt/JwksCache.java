package dev.meshpilot.proxy.jwt;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * JWK sets by {@code jwksUri}: fetched on first use with a timeout, kept for {@code ttl}, refetched on request
 * ({@link #refresh}, for an unknown {@code kid}) at most once per {@code minRefreshInterval}. A failed fetch is not
 * retried within {@code minRefreshInterval} either (the identity provider is not hammered); callers fail closed.
 */
final class JwksCache {

    private final JwksFetcher fetcher;
    private final Duration timeout;
    private final Duration ttl;
    private final Duration minRefreshInterval;
    private final Clock clock;
    private final ConcurrentMap<URI, Slot> slots = new ConcurrentHashMap<>();

    JwksCache(JwksFetcher fetcher, Duration timeout, Duration ttl, Duration minRefreshInterval, Clock clock) {
        this.fetcher = requireNonNull(fetcher, "fetcher");
        this.timeout = requireNonNull(timeout, "timeout");
        this.ttl = requireNonNull(ttl, "ttl");
        this.minRefreshInterval = requireNonNull(minRefreshInterval, "minRefreshInterval");
        this.clock = requireNonNull(clock, "clock");
    }

    /** The cached set, fetched when absent or older than the ttl. */
    JWKSet get(URI uri) throws IOException {
        Slot slot = slots.computeIfAbsent(uri, u -> new Slot());
        synchronized (slot) {
            Instant now = clock.instant();
            if (slot.keys != null && now.isBefore(slot.fetchedAt.plus(ttl))) {
                return slot.keys;
            }
            return load(uri, slot, now);
        }
    }

    /** Refetches when the last attempt is at least {@code minRefreshInterval} old; else returns the cached set. */
    JWKSet refresh(URI uri) throws IOException {
        Slot slot = slots.computeIfAbsent(uri, u -> new Slot());
        synchronized (slot) {
            Instant now = clock.instant();
            if (slot.attemptedAt != null && now.isBefore(slot.attemptedAt.plus(minRefreshInterval))
                    && slot.keys != null) {
                return slot.keys;
            }
            return load(uri, slot, now);
        }
    }

    private JWKSet load(URI uri, Slot slot, Instant now) throws IOException {
        if (slot.failure != null && slot.attemptedAt != null
                && now.isBefore(slot.attemptedAt.plus(minRefreshInterval))) {
            throw new IOException(slot.failure);
        }
        slot.attemptedAt = now;
        try {
            JWKSet keys = JWKSet.parse(fetcher.fetch(uri, timeout)).toPublicJWKSet();
            slot.keys = keys;
            slot.fetchedAt = now;
            slot.failure = null;
            return keys;
        } catch (IOException | ParseException | RuntimeException e) {
            slot.failure = uri + ": " + e;
            throw new IOException(slot.failure, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            slot.failure = uri + ": interrupted";
            throw new IOException(slot.failure, e);
        }
    }

    private static final class Slot {
        @Nullable JWKSet keys;
        Instant fetchedAt = Instant.EPOCH;
        @Nullable Instant attemptedAt;
        @Nullable String failure;
    }
}
