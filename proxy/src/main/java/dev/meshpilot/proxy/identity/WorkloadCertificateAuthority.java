package dev.meshpilot.proxy.identity;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The mesh certificate authority: issues SPIFFE workload certificates (EC P-256, 24 h by default) either from a
 * self-signed mesh root kept in a CA directory ({@link #openOrCreate}) or from the user's own CA
 * ({@link #fromPem}, e.g. an intermediate signed by the corporate root).
 */
public final class WorkloadCertificateAuthority {

    /** How far {@code notBefore} is backdated to tolerate clock skew between workloads. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private final CaSettings settings;
    private final X509Certificate issuer;
    private final PrivateKey issuerKey;
    private final List<X509Certificate> intermediates;
    private final X509Certificate trustAnchor;

    private WorkloadCertificateAuthority(CaSettings settings, X509Certificate issuer, PrivateKey issuerKey,
            List<X509Certificate> intermediates, X509Certificate trustAnchor) {
        this.settings = settings;
        this.issuer = issuer;
        this.issuerKey = issuerKey;
        this.intermediates = List.copyOf(intermediates);
        this.trustAnchor = trustAnchor;
    }

    /**
     * Loads the mesh root from {@code caDir}, or creates it there on first start (EC P-256, self-signed, CA:true,
     * pathLen 1, 10 years). {@code caDir} must lie outside any git repository.
     */
    public static WorkloadCertificateAuthority openOrCreate(Path caDir, CaSettings settings) {
        requireNonNull(caDir, "caDir");
        requireNonNull(settings, "settings");
        CaStore.Root root = CaStore.openOrCreate(caDir, settings);
        return new WorkloadCertificateAuthority(settings, root.certificate(), root.key(), List.of(),
                root.certificate());
    }

    /** {@link #openOrCreate(Path, CaSettings)} with {@link CaSettings#fromEnvironment()}. */
    public static WorkloadCertificateAuthority openOrCreate(Path caDir) {
        return openOrCreate(caDir, CaSettings.fromEnvironment());
    }

    /**
     * Issues from the user's CA: {@code caCertChainPem} holds the issuing CA certificate first, then optionally its
     * issuers up to the root; the last certificate is the trust anchor peers must trust. Workload chains include
     * every certificate of the file except a self-signed root. {@code caKeyPem} is the issuing CA's key (PKCS#8,
     * SEC1, or encrypted PKCS#8 with {@code caKeyPassword}).
     */
    public static WorkloadCertificateAuthority fromPem(Path caCertChainPem, Path caKeyPem,
            char @Nullable [] caKeyPassword, CaSettings settings) {
        requireNonNull(caCertChainPem, "caCertChainPem");
        requireNonNull(caKeyPem, "caKeyPem");
        requireNonNull(settings, "settings");
        try {
            List<X509Certificate> chain = Pem.readCertificates(caCertChainPem);
            PrivateKey key = Pem.readPrivateKey(caKeyPem, caKeyPassword);
            X509Certificate issuer = chain.get(0);
            if (issuer.getBasicConstraints() < 0) {
                throw new IllegalArgumentException("caCertChainPem: " + issuer.getSubjectX500Principal()
                        + " is not a CA (expected: basicConstraints CA:true)");
            }
            if (!X509Builders.matches(issuer, key)) {
                throw new IllegalArgumentException("caKeyPem: not the key of " + issuer.getSubjectX500Principal()
                        + " (expected: the issuing CA's EC private key)");
            }
            issuer.checkValidity(Date.from(settings.clock().instant()));
            X509Certificate anchor = chain.get(chain.size() - 1);
            List<X509Certificate> sent = new ArrayList<>(chain);
            if (chain.size() > 1 && isSelfSigned(anchor)) {
                sent.remove(sent.size() - 1);
            }
            return new WorkloadCertificateAuthority(settings, issuer, key, sent, anchor);
        } catch (IOException e) {
            throw new UncheckedIOException("user CA: " + e.getMessage(), e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("caCertChainPem: issuing CA is not valid now: " + e.getMessage(), e);
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
     * minus {@link #CLOCK_SKEW} to now plus {@code ttl} (never past the issuing CA); the chain without the root.
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
        Instant now = settings.clock().instant();
        // X.509 times have whole seconds: round notAfter up so the certificate lives at least ttl
        Instant end = now.plus(ttl);
        Instant notAfter = end.truncatedTo(ChronoUnit.SECONDS);
        if (notAfter.isBefore(end)) {
            notAfter = notAfter.plusSeconds(1);
        }
        Instant caNotAfter = issuer.getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) {
            notAfter = caNotAfter;
        }
        X509Certificate leaf = X509Builders.workload(issuer, issuerKey, key, id,
                now.truncatedTo(ChronoUnit.SECONDS).minus(CLOCK_SKEW), notAfter);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(leaf);
        chain.addAll(intermediates);
        return List.copyOf(chain);
    }

    public String trustDomain() {
        return settings.trustDomain();
    }

    public Duration workloadTtl() {
        return settings.workloadTtl();
    }

    /** The certificate peers trust: the mesh root, or the last certificate of the user's chain file. */
    public X509Certificate rootCertificate() {
        return trustAnchor;
    }

    /** The CA that signs workload certificates (the mesh root itself, or the user's intermediate). */
    public X509Certificate issuingCertificate() {
        return issuer;
    }

    /** A bundle trusting only this CA's root; see {@link TrustBundle#withRoot} during a root rotation. */
    public TrustBundle trustBundle() {
        return TrustBundle.of(settings.trustDomain(), trustAnchor);
    }

    /** The root (or trust anchor) certificate as PEM, for the console to publish. */
    public String rootCertificatePem() {
        return Pem.certificates(List.of(trustAnchor));
    }

    private static boolean isSelfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "WorkloadCertificateAuthority[trustDomain=" + settings.trustDomain() + ", issuer="
                + issuer.getSubjectX500Principal().getName() + "]";
    }
}
