package dev.meshpilot.proxy.jwt;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;

/**
 * Limits of {@link JwtAuthenticator}.
 *
 * @param fetchTimeout       how long one JWKS fetch may take
 * @param cacheTtl           how long a fetched JWKS is used before it is fetched again
 * @param minRefreshInterval at most one refetch per jwksUri in this interval (unknown {@code kid}, failed fetch)
 * @param clockSkew          tolerance of {@code exp} and {@code nbf}
 * @param maxTokenBytes      larger tokens are rejected before parsing
 */
public record JwtSettings(Duration fetchTimeout, Duration cacheTtl, Duration minRefreshInterval, Duration clockSkew,
        int maxTokenBytes, Clock clock) {

    public static final JwtSettings DEFAULTS = new JwtSettings(Duration.ofSeconds(5), Duration.ofMinutes(20),
            Duration.ofSeconds(30), Duration.ofSeconds(60), 16 * 1024, Clock.systemUTC());

    public JwtSettings {
        requireNonNull(fetchTimeout, "fetchTimeout");
        requireNonNull(cacheTtl, "cacheTtl");
        requireNonNull(minRefreshInterval, "minRefreshInterval");
        requireNonNull(clockSkew, "clockSkew");
        requireNonNull(clock, "clock");
        if (fetchTimeout.isNegative() || fetchTimeout.isZero()) {
            throw new IllegalArgumentException("fetchTimeout: " + fetchTimeout + " (expected: > 0)");
        }
        if (maxTokenBytes < 1) {
            throw new IllegalArgumentException("maxTokenBytes: " + maxTokenBytes + " (expected: >= 1)");
        }
    }

    public JwtSettings withClock(Clock newClock) {
        return new JwtSettings(fetchTimeout, cacheTtl, minRefreshInterval, clockSkew, maxTokenBytes, newClock);
    }

    public JwtSettings withFetchTimeout(Duration timeout) {
        return new JwtSettings(timeout, cacheTtl, minRefreshInterval, clockSkew, maxTokenBytes, clock);
    }
}
