package dev.meshpilot.proxy.identity;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Who signs workload certificates: the issuing CA and its key, the certificates sent after the leaf (never the trust
 * anchor), and the anchor peers trust. Remembers the latest {@code notAfter} it signed, which is when its root may
 * leave the trust bundle after a root rotation.
 */
final class Signer {

    private final X509Certificate certificate;
    private final PrivateKey key;
    private final List<X509Certificate> chainTail;
    private final X509Certificate anchor;
    private final AtomicReference<Instant> latestNotAfter = new AtomicReference<>(Instant.MIN);

    Signer(X509Certificate certificate, PrivateKey key, List<X509Certificate> chainTail, X509Certificate anchor) {
        this.certificate = certificate;
        this.key = key;
        this.chainTail = List.copyOf(chainTail);
        this.anchor = anchor;
    }

    /** A self-signed root signing workload certificates itself. */
    static Signer root(MeshRoots.Root root) {
        return new Signer(root.certificate(), root.key(), List.of(), root.certificate());
    }

    /** The leaf for {@code subjectKey} followed by the chain tail. */
    List<X509Certificate> sign(PublicKey subjectKey, SpiffeId id, Instant notBefore, Instant notAfter) {
        X509Certificate leaf = X509Builders.workload(certificate, key, subjectKey, id, notBefore, notAfter);
        latestNotAfter.accumulateAndGet(notAfter, (a, b) -> a.isAfter(b) ? a : b);
        List<X509Certificate> chain = new ArrayList<>(1 + chainTail.size());
        chain.add(leaf);
        chain.addAll(chainTail);
        return List.copyOf(chain);
    }

    X509Certificate certificate() {
        return certificate;
    }

    X509Certificate anchor() {
        return anchor;
    }

    /** The latest {@code notAfter} signed, {@link Instant#MIN} before the first certificate. */
    Instant latestNotAfter() {
        return latestNotAfter.get();
    }
}
