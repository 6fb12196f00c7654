package dev.meshpilot.proxy.identity;

import static java.util.Objects.requireNonNull;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The roots a workload trusts for one trust domain: one root, or two during a root rotation (old and new both
 * trusted until every workload carries a certificate of the new root).
 */
public record TrustBundle(String trustDomain, List<X509Certificate> roots) {

    public TrustBundle {
        requireNonNull(trustDomain, "trustDomain");
        requireNonNull(roots, "roots");
        SpiffeId.requireTrustDomain(trustDomain);
        roots = List.copyOf(roots);
        if (roots.isEmpty() || roots.size() > 2) {
            throw new IllegalArgumentException("roots: " + roots.size() + " (expected: 1..2)");
        }
        for (X509Certificate root : roots) {
            if (root.getBasicConstraints() < 0) {
                throw new IllegalArgumentException(
                        "roots: " + root.getSubjectX500Principal() + " (expected: a CA certificate)");
            }
        }
    }

    public static TrustBundle of(String trustDomain, X509Certificate... roots) {
        return new TrustBundle(trustDomain, List.of(roots));
    }

    /** This bundle plus {@code newRoot}; the oldest root is dropped when two are held already. */
    public TrustBundle withRoot(X509Certificate newRoot) {
        requireNonNull(newRoot, "newRoot");
        List<X509Certificate> next = new ArrayList<>(roots);
        next.remove(newRoot);
        next.add(newRoot);
        return new TrustBundle(trustDomain, next.subList(Math.max(0, next.size() - 2), next.size()));
    }

    /** This bundle without {@code oldRoot} (the end of a root rotation). */
    public TrustBundle withoutRoot(X509Certificate oldRoot) {
        List<X509Certificate> next = new ArrayList<>(roots);
        next.remove(oldRoot);
        return new TrustBundle(trustDomain, next);
    }

    /** A trust manager accepting any SPIFFE ID of this trust domain. */
    public SpiffeTrustManager trustManager() {
        return trustManager(PeerIdentityVerifier.anyIdentity());
    }

    /** A trust manager accepting peers that validate against this bundle and that {@code verifier} allows. */
    public SpiffeTrustManager trustManager(PeerIdentityVerifier verifier) {
        return new SpiffeTrustManager(this, verifier, Clock.systemUTC());
    }

    public String toPem() {
        return Pem.certificates(roots);
    }
}
