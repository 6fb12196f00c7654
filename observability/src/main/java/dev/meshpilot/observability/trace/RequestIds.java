package dev.meshpilot.observability.trace;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/** The {@code x-request-id} header: kept when the client sent one, otherwise a new random UUID. */
public final class RequestIds {

    public static final String HEADER = "x-request-id";

    private RequestIds() {}

    /** {@code existing} when it is not null or blank, otherwise a new version-4 UUID string. */
    public static String ensure(@Nullable String existing) {
        if (existing != null && !existing.isBlank()) {
            return existing;
        }
        return newId();
    }

    /** A random version-4 UUID from {@link ThreadLocalRandom} (fast; not for secrets). */
    public static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
