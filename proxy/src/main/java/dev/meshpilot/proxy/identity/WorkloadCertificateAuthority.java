package dev.meshpilot.proxy.identity;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The mesh certificate authority: issues SPIFFE workload certificates (EC P-256, 24 h by default) either from a
 * self-signed mesh root kept in a {@link RootStore} ({@link #open}, {@link #openOrCreate}) or from the user's own
 * intermediate ({@link #plugIn}, Istio's plugged-in CA).
 *
 * <p>Root rotation ({@link #rotateRoot()}, self-signed roots only): a new root replaces the stored one; the trust
 * bundle holds the previous and the new root; every certificate from then on is issued by the new root, and the
 * listeners ({@link #addTrustListener}) re-issue every workload's certificate at once, so all of them carry the new
 * root within moments. Established connections keep their session; new handshakes succeed in both directions because
 * every peer trusts both roots. The previous root leaves the bundle when the last certificate it signed expires
 * (checked whenever the bundle is read: no timer), or earlier by {@link #finishRootRotation()} when an operator knows
 * no such certificate is in use. One rotation at a time (the bundle holds at most two roots). The store keeps the
 * rotation beside the root ({@link RootStore#saveRotation}), so a restart during it still trusts the previous root
 * until it retires.
 */
public final class WorkloadCertificateAuthority {

    /** How far {@code notBefore} is backdated to tolerate clock skew between workloads. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private final CaSettings settings;
    private final @Nullable RootStore store;
    private final @Nullable String pluggedSource;
    private final TrustState trust;

    private WorkloadCertificateAuthority(CaSettings settings, @Nullable RootStore store, @Nullable String pluggedSource,
            Signer signer, @Nullable RootRotation resumed) {
        this.settings = settings;
        this.store = store;
        this.pluggedSource = pluggedSource;
        this.trust = new TrustState(settings.trustDomain(), settings.clock(), signer, resumed);
    }

    /** The mesh root of {@code store}, created on first start (EC P-256, self-signed, CA:true, pathLen 1, 10 y). */
    public static WorkloadCertificateAuthority open(RootStore store, CaSettings settings) {
        requireNonNull(store, "store");
        requireNonNull(settings, "settings");
        MeshRoots.Root root = MeshRoots.openOrCreate(store, settings);
        RootRotation resumed = MeshRoots.restoreRotation(store, root.certificate(), settings.clock().instant())
                .orElse(null);
        return new WorkloadCertificateAuthority(settings, store, null, Signer.root(root), resumed);
    }

    /** The mesh root in the directory {@code caDir} ({@link DirectoryRootStore}), outside any git repository. */
    public static WorkloadCertificateAuthority openOrCreate(Path caDir, CaSettings settings) {
        return open(new DirectoryRootStore(requireNonNull(caDir, "caDir")), settings);
    }

    /** {@link #openOrCreate(Path, CaSettings)} with {@link CaSettings#fromEnvironment()}. */
    public static WorkloadCertificateAuthority openOrCreate(Path caDir) {
        return openOrCreate(caDir, CaSettings.fromEnvironment());
    }

    /**
     * Issues from a plugged-in intermediate after checking it ({@link CaCerts}): workload chains are the leaf and
     * {@code cert-chain.pem} up to (without) the root; peers trust {@code root-cert.pem}. The key is decrypted with the
     * settings' password when it is encrypted. Fails with a message naming the file at fault.
     */
    public static WorkloadCertificateAuthority plugIn(CaCerts certs, CaSettings settings) {
        requireNonNull(settings, "settings");
        String password = settings.keyPassword();
        return plugIn(certs, settings, password == null ? null : password.toCharArray());
    }

    private static WorkloadCertificateAuthority plugIn(CaCerts certs, CaSettings settings,
            char @Nullable [] password) {
        requireNonNull(certs, "certs");
        Signer signer = PluggedCa.signer(certs, password, settings.clock().instant());
        return new WorkloadCertificateAuthority(settings, null, certs.source(), signer, null);
    }

    /**
     * Issues from the user's CA: {@code caCertChainPem} holds the issuing CA certificate first, then optionally its
     * issuers; the last certificate is the trust anchor. {@link #plugIn} with the chain file as {@code ca-cert.pem}
     * (its first certificate), {@code cert-chain.pem} and {@code root-cert.pem} (its last).
     */
    public static WorkloadCertificateAuthority fromPem(Path caCertChainPem, Path caKeyPem,
            char @Nullable [] caKeyPassword, CaSettings settings) {
        requireNonNull(caCertChainPem, "caCertChainPem");
        requireNonNull(caKeyPem, "caKeyPem");
        try {
            List<X509Certificate> chain = Pem.readCertificates(caCertChainPem);
            String chainPem = Pem.certificates(chain);
            CaCerts certs = CaCerts.of(caCertChainPem.toAbsolutePath().getParent().toString(), Map.of(
                    CaCerts.CA_CERT, Pem.certificates(chain.subList(0, 1)), CaCerts.CA_KEY, Files.readString(caKeyPem),
                    CaCerts.ROOT_CERT, Pem.certificates(chain.subList(chain.size() - 1, chain.size())),
                    CaCerts.CERT_CHAIN, chainPem));
            return plugIn(certs, requireNonNull(settings, "settings"), caKeyPassword);
        } catch (IOException e) {
            throw new UncheckedIOException("user CA: " + e.getMessage(), e);
        }
    }

    /** A certificate for {@code spiffe://<trust domain>/ns/<namespace>/sa/<serviceAccount>}. */
    public WorkloadCertificate issue(String namespace, String serviceAccount) {
        return issue(new SpiffeId(settings.trustDomain(), namespace, serviceAccount));
    }

    public WorkloadCertificate issue(SpiffeId id) {
        return issue(id, settings.workloadTtl());
    }

    /** A fresh key pair and certificate valid from now minus {@link #CLOCK_SKEW} to now plus {@code ttl}. */
    public WorkloadCertificate issue(SpiffeId id, Duration ttl) {
        KeyPair keys = X509Builders.newEcKeyPair();
        List<X509Certificate> chain = issueChain(keys.getPublic(), id, ttl);
        return new WorkloadCertificate(chain, keys.getPrivate(), chain.get(0).getNotAfter().toInstant(), id);
    }

    /**
     * A workload certificate for a key the caller holds (a CSR's key): {@code id} as its only URI SAN, valid from now
     * minus {@link #CLOCK_SKEW} to now plus {@code ttl} (never past the issuing CA); the chain without the root. A
     * certificate signed while the root was being rotated is signed again by the new root.
     */
    public List<X509Certificate> issueChain(PublicKey key, SpiffeId id, Duration ttl) {
        requireNonNull(key, "key");
        requireNonNull(id, "id");
        requireNonNull(ttl, "ttl");
        if (!id.trustDomain().equals(settings.trustDomain())) {
            throw new IllegalArgumentException(
                    "id: " + id + " (expected: trust domain " + settings.trustDomain() + ")");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0)");
        }
        while (true) {
            Signer signer = trust.signer();
            Instant now = settings.clock().instant();
            // X.509 times have whole seconds: round notAfter up so the certificate lives at least ttl
            Instant end = now.plus(ttl);
            Instant notAfter = end.truncatedTo(ChronoUnit.SECONDS);
            if (notAfter.isBefore(end)) {
                notAfter = notAfter.plusSeconds(1);
            }
            Instant caNotAfter = signer.certificate().getNotAfter().toInstant();
            if (notAfter.isAfter(caNotAfter)) {
                notAfter = caNotAfter;
            }
            List<X509Certificate> chain = signer.sign(key, id, now.truncatedTo(ChronoUnit.SECONDS).minus(CLOCK_SKEW),
                    notAfter);
            if (trust.signer() == signer) {
                return chain;
            }
        }
    }

    public String trustDomain() {
        return settings.trustDomain();
    }

    public Duration workloadTtl() {
        return settings.workloadTtl();
    }

    /** The certificate peers trust: the (newest) mesh root, or the plugged-in CA's {@code root-cert.pem}. */
    public X509Certificate rootCertificate() {
        return trust.signer().anchor();
    }

    /** The CA that signs workload certificates (the mesh root itself, or the plugged-in intermediate). */
    public X509Certificate issuingCertificate() {
        return trust.signer().certificate();
    }

    /** The roots peers trust now: this CA's root, and the previous one during a root rotation. */
    public TrustBundle trustBundle() {
        return trust.bundle();
    }

    /** The (newest) root certificate as PEM; {@link TrustBundle#toPem()} for every trusted root. */
    public String rootCertificatePem() {
        return Pem.certificates(List.of(rootCertificate()));
    }

    /** Whether {@link #rotateRoot()} is possible: a self-signed root (a plugged-in CA is rotated by its owner). */
    public boolean rootRotatable() {
        return store != null;
    }

    /**
     * Starts a root rotation (see the class comment) and returns it once every listener re-issued.
     *
     * @throws IllegalStateException for a plugged-in CA, or while a rotation is in progress
     */
    public RootRotation rotateRoot() {
        if (store == null) {
            throw new IllegalStateException("plugged-in CA " + pluggedSource + ": its root is the user's (expected: "
                    + "rotate it by replacing " + String.join(", ", CaCerts.NAMES) + " and restarting)");
        }
        RootStore rootStore = store;
        return trust.rotate(() -> Signer.root(MeshRoots.replace(rootStore, settings)),
                rotation -> MeshRoots.keepRotation(rootStore, rotation));
    }

    /** The rotation in progress, if any (a rotation whose previous root retired is over). */
    public Optional<RootRotation> rootRotation() {
        return trust.rotation();
    }

    /** Ends the rotation in progress now: the previous root leaves the bundle. Empty when none was in progress. */
    public Optional<RootRotation> finishRootRotation() {
        RootStore rootStore = store;
        return trust.finish(() -> {
            if (rootStore != null) {
                MeshRoots.keepRotation(rootStore, null);
            }
        });
    }

    /**
     * Calls {@code listener} with the new bundle after each change of the trusted roots (a rotation started: the
     * issuer changed too; a previous root retired). Closing the returned handle removes the listener.
     */
    public AutoCloseable addTrustListener(Consumer<TrustBundle> listener) {
        return trust.addListener(requireNonNull(listener, "listener"));
    }

    @Override
    public String toString() {
        return "WorkloadCertificateAuthority[trustDomain=" + settings.trustDomain() + ", issuer="
                + issuingCertificate().getSubjectX500Principal().getName() + "]";
    }
}
