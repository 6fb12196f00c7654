package dev.meshpilot.proxy.identity;

import static java.util.Objects.requireNonNull;

import java.security.cert.CertificateException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * Which peer SPIFFE IDs a connection accepts (the authorization of the TLS peer; replaces hostname verification,
 * which does not apply to URI SAN certificates). Checked during the handshake by {@link SpiffeTrustManager}.
 */
public final class PeerIdentityVerifier {

    private static final PeerIdentityVerifier ANY = new PeerIdentityVerifier(null);

    private final @Nullable Set<SpiffeId> allowed;

    private PeerIdentityVerifier(@Nullable Set<SpiffeId> allowed) {
        this.allowed = allowed;
    }

    /** Any identity of the trust bundle's trust domain. */
    public static PeerIdentityVerifier anyIdentity() {
        return ANY;
    }

    /** Exactly the given identities. */
    public static PeerIdentityVerifier anyOf(Collection<SpiffeId> ids) {
        requireNonNull(ids, "ids");
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("ids: empty (expected: at least one SPIFFE ID)");
        }
        return new PeerIdentityVerifier(Set.copyOf(ids));
    }

    public static PeerIdentityVerifier anyOf(SpiffeId... ids) {
        return anyOf(List.of(ids));
    }

    public boolean allows(SpiffeId peer) {
        requireNonNull(peer, "peer");
        return allowed == null || allowed.contains(peer);
    }

    /** Throws when {@code peer} is not allowed (fails the handshake when called by the trust manager). */
    public void check(SpiffeId peer) throws CertificateException {
        if (!allows(peer)) {
            throw new CertificateException("peer identity: " + peer + " (expected: " + describeAllowed() + ")");
        }
    }

    /** The peer identity of an established session, checked against this verifier. */
    public SpiffeId verify(SSLSession session) throws SSLPeerUnverifiedException {
        SpiffeId peer = SpiffeTrustManager.peerIdentity(session);
        if (!allows(peer)) {
            throw new SSLPeerUnverifiedException("peer identity: " + peer + " (expected: " + describeAllowed() + ")");
        }
        return peer;
    }

    private String describeAllowed() {
        if (allowed == null) {
            return "any";
        }
        Set<String> names = new TreeSet<>();
        allowed.forEach(id -> names.add(id.toString()));
        return String.join(" or ", names);
    }

    @Override
    public String toString() {
        return "PeerIdentityVerifier[" + describeAllowed() + "]";
    }
}
