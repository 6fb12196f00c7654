package dev.meshpilot.proxy.identity;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A workload's certificate chain (leaf first, then intermediates; never the root), its private key, the end of its
 * validity and its SPIFFE ID.
 */
public record WorkloadCertificate(List<X509Certificate> chain, PrivateKey privateKey, Instant notAfter,
        SpiffeId spiffeId) {

    /** Alias of the entry in {@link #keyStore(char[])}. */
    public static final String ALIAS = "workload";

    public WorkloadCertificate {
        requireNonNull(chain, "chain");
        requireNonNull(privateKey, "privateKey");
        requireNonNull(notAfter, "notAfter");
        requireNonNull(spiffeId, "spiffeId");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain: empty (expected: the leaf certificate first)");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public BigInteger serialNumber() {
        return leaf().getSerialNumber();
    }

    public Instant notBefore() {
        return leaf().getNotBefore().toInstant();
    }

    public boolean isExpiredAt(Instant instant) {
        return !instant.isBefore(notAfter);
    }

    /** An in-memory PKCS#12 key store with one entry {@value #ALIAS} (key + chain) protected by {@code password}. */
    public KeyStore keyStore(char[] password) {
        requireNonNull(password, "password");
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, privateKey, password, chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a key store for " + spiffeId, e);
        }
    }

    /** A key manager that always presents this certificate. */
    public X509ExtendedKeyManager keyManager() {
        return new WorkloadKeyManager(this);
    }

    /**
     * A TLS 1.3 context presenting this certificate and accepting peers whose chain validates against
     * {@code bundle} and whose SPIFFE ID {@code verifier} allows (no hostname verification).
     */
    public SSLContext sslContext(TrustBundle bundle, PeerIdentityVerifier verifier) {
        return TlsContexts.create(keyManager(), bundle.trustManager(verifier));
    }

    @Override
    public String toString() {
        return "WorkloadCertificate[" + spiffeId + ", serial " + serialNumber().toString(16) + ", notAfter "
                + notAfter + "]";
    }
}
