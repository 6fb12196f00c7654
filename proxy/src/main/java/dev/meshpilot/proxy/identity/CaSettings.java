package dev.meshpilot.proxy.identity;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Settings of the {@link WorkloadCertificateAuthority}.
 *
 * @param trustDomain the SPIFFE trust domain of issued identities (default {@code cluster.local})
 * @param workloadTtl lifetime of workload certificates (default 24 h)
 * @param keyPassword the key-encryption password of the root private key; {@code null} = use (or on first start
 *     generate) the {@code root-key.password} file of the CA directory. Never printed by {@link #toString()}.
 * @param clock the time source of issuance (tests pass a clock in the past to mint expired certificates)
 */
public record CaSettings(String trustDomain, Duration workloadTtl, @Nullable String keyPassword, Clock clock) {

    /** Environment variable read by {@link #fromEnvironment()} for the key-encryption password. */
    public static final String KEY_PASSWORD_ENV = "MESHPILOT_CA_KEY_PASSWORD";

    public static final Duration DEFAULT_WORKLOAD_TTL = Duration.ofHours(24);

    public CaSettings {
        requireNonNull(trustDomain, "trustDomain");
        requireNonNull(workloadTtl, "workloadTtl");
        requireNonNull(clock, "clock");
        SpiffeId.requireTrustDomain(trustDomain);
        if (workloadTtl.isNegative() || workloadTtl.isZero()) {
            throw new IllegalArgumentException("workloadTtl: " + workloadTtl + " (expected: > 0)");
        }
        if (keyPassword != null && keyPassword.length() < 12) {
            throw new IllegalArgumentException(
                    "keyPassword: " + keyPassword.length() + " characters (expected: >= 12)");
        }
    }

    /** {@code cluster.local}, 24 h, password file in the CA directory, system clock. */
    public static CaSettings defaults() {
        return new CaSettings(SpiffeId.DEFAULT_TRUST_DOMAIN, DEFAULT_WORKLOAD_TTL, null, Clock.systemUTC());
    }

    /** {@link #defaults()} with the key-encryption password of {@value #KEY_PASSWORD_ENV} when it is set. */
    public static CaSettings fromEnvironment() {
        String password = System.getenv(KEY_PASSWORD_ENV);
        return password == null || password.isEmpty() ? defaults() : defaults().withKeyPassword(password);
    }

    public CaSettings withTrustDomain(String trustDomain) {
        return new CaSettings(trustDomain, workloadTtl, keyPassword, clock);
    }

    public CaSettings withWorkloadTtl(Duration workloadTtl) {
        return new CaSettings(trustDomain, workloadTtl, keyPassword, clock);
    }

    public CaSettings withKeyPassword(@Nullable String keyPassword) {
        return new CaSettings(trustDomain, workloadTtl, keyPassword, clock);
    }

    public CaSettings withClock(Clock clock) {
        return new CaSettings(trustDomain, workloadTtl, keyPassword, clock);
    }

    @Override
    public String toString() {
        return "CaSettings[trustDomain=" + trustDomain + ", workloadTtl=" + workloadTtl + ", keyPassword="
                + (keyPassword == null ? "file" : "(given)") + ", clock=" + clock + "]";
    }
}
