package dev.meshpilot.proxy.identity;

import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a workload's current certificate and renews it once {@code renewAt} (default 50%) of its lifetime has
 * passed. The swap is atomic; {@link #sslContext} serves the current certificate to every new handshake while
 * established connections keep the certificate they were authenticated with.
 */
public final class CertificateRotator implements AutoCloseable {

    public static final double DEFAULT_RENEW_AT = 0.5;

    private static final Logger log = LoggerFactory.getLogger(CertificateRotator.class);
    private static final Duration MIN_DELAY = Duration.ofMillis(50);

    private final Supplier<WorkloadCertificate> issuer;
    private final double renewAt;
    private final Clock clock;
    private final AtomicReference<WorkloadCertificate> current = new AtomicReference<>();
    private final AtomicLong rotations = new AtomicLong();
    private final List<Consumer<WorkloadCertificate>> listeners = new CopyOnWriteArrayList<>();
    private final WorkloadKeyManager keyManager;
    private final ScheduledExecutorService scheduler;
    private volatile @Nullable AutoCloseable subscription;

    private CertificateRotator(Supplier<WorkloadCertificate> issuer, double renewAt, Clock clock, String name) {
        this.issuer = issuer;
        this.renewAt = renewAt;
        this.clock = clock;
        WorkloadCertificate first = requireNonNull(issuer.get(), "issued certificate");
        current.set(first);
        keyManager = new WorkloadKeyManager(first);
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("cert-rotator " + name).factory());
        schedule(first, clock.instant());
    }

    /** Issues the first certificate of {@code id} from {@code ca} and renews it at 50% of its lifetime. */
    public static CertificateRotator start(WorkloadCertificateAuthority ca, SpiffeId id) {
        return start(ca, id, DEFAULT_RENEW_AT);
    }

    public static CertificateRotator start(WorkloadCertificateAuthority ca, SpiffeId id, double renewAt) {
        requireNonNull(ca, "ca");
        return start(ca, id, ca.workloadTtl(), renewAt);
    }

    /**
     * Issues {@code id} from {@code ca} with lifetime {@code ttl}, renews it at half of it, and at once when the CA's
     * root changes (a root rotation) while the certificate is of the previous issuer.
     */
    public static CertificateRotator start(WorkloadCertificateAuthority ca, SpiffeId id, Duration ttl) {
        return start(ca, id, ttl, DEFAULT_RENEW_AT);
    }

    private static CertificateRotator start(WorkloadCertificateAuthority ca, SpiffeId id, Duration ttl,
            double renewAt) {
        requireNonNull(id, "id");
        requireNonNull(ttl, "ttl");
        CertificateRotator rotator = start(() -> ca.issue(id, ttl), renewAt, Clock.systemUTC());
        rotator.subscription = ca.addTrustListener(bundle -> rotator.reissueUnlessFrom(ca.issuingCertificate()));
        return rotator;
    }

    /**
     * Rotates certificates from any issuer (e.g. a remote CA client). {@code renewAt} is the fraction of the
     * lifetime (from when the certificate was obtained to its {@code notAfter}) after which it is renewed.
     */
    public static CertificateRotator start(Supplier<WorkloadCertificate> issuer, double renewAt, Clock clock) {
        requireNonNull(issuer, "issuer");
        requireNonNull(clock, "clock");
        if (!(renewAt > 0 && renewAt < 1)) {
            throw new IllegalArgumentException("renewAt: " + renewAt + " (expected: 0 < renewAt < 1)");
        }
        return new CertificateRotator(issuer, renewAt, clock, Long.toHexString(System.nanoTime()));
    }

    /** The certificate new handshakes present. */
    public WorkloadCertificate current() {
        return current.get();
    }

    /** How many times the certificate was renewed since the start. */
    public long rotations() {
        return rotations.get();
    }

    /** Renews now (also used by the schedule); returns the new certificate. */
    public synchronized WorkloadCertificate rotateNow() {
        WorkloadCertificate next = requireNonNull(issuer.get(), "issued certificate");
        keyManager.update(next);
        WorkloadCertificate previous = current.getAndSet(next);
        rotations.incrementAndGet();
        log.info("Rotated certificate of {}: serial {} -> {}, valid until {}", next.spiffeId(),
                previous.serialNumber().toString(16), next.serialNumber().toString(16), next.notAfter());
        listeners.forEach(listener -> listener.accept(next));
        return next;
    }

    /** Called with every new certificate (on the rotator's thread). */
    public void addListener(Consumer<WorkloadCertificate> listener) {
        listeners.add(requireNonNull(listener, "listener"));
    }

    /** A key manager that always serves the current certificate. */
    public X509ExtendedKeyManager keyManager() {
        return keyManager;
    }

    /** A TLS 1.3 context presenting the current certificate, accepting peers of {@code bundle} that {@code verifier} allows. */
    public SSLContext sslContext(TrustBundle bundle, PeerIdentityVerifier verifier) {
        requireNonNull(bundle, "bundle");
        requireNonNull(verifier, "verifier");
        return TlsContexts.create(keyManager, bundle.trustManager(verifier));
    }

    @Override
    public void close() {
        AutoCloseable listening = subscription;
        if (listening != null) {
            try {
                listening.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop listening to the CA", e);
            }
        }
        scheduler.shutdownNow();
    }

    /** Renews now unless the current certificate was signed by {@code issuer} (a root rotation re-issues). */
    private void reissueUnlessFrom(X509Certificate issuer) {
        if (scheduler.isShutdown()) {
            return;
        }
        try {
            current().leaf().verify(issuer.getPublicKey());
        } catch (GeneralSecurityException e) {
            rotateNow();
        }
    }

    private void schedule(WorkloadCertificate certificate, Instant obtainedAt) {
        Duration lifetime = Duration.between(obtainedAt, certificate.notAfter());
        Duration delay = Duration.ofNanos((long) (lifetime.toNanos() * renewAt));
        scheduleIn(delay.compareTo(MIN_DELAY) < 0 ? MIN_DELAY : delay);
    }

    private void scheduleIn(Duration delay) {
        if (scheduler.isShutdown()) {
            return;
        }
        scheduler.schedule(this::renew, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void renew() {
        try {
            Instant obtainedAt = clock.instant();
            schedule(rotateNow(), obtainedAt);
        } catch (RuntimeException e) {
            Duration left = Duration.between(clock.instant(), current().notAfter());
            Duration retry = left.dividedBy(10);
            retry = retry.compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : retry;
            retry = retry.compareTo(MIN_DELAY) < 0 ? MIN_DELAY : retry;
            log.warn("Renewing the certificate of {} failed ({}); retrying in {}", current().spiffeId(),
                    e.toString(), retry);
            scheduleIn(retry);
        }
    }
}
