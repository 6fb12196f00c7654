package dev.meshpilot.proxy.tls;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.identity.CertificateRotator;
import dev.meshpilot.proxy.identity.PeerIdentityVerifier;
import dev.meshpilot.proxy.identity.SpiffeId;
import dev.meshpilot.proxy.identity.TrustBundle;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * What one proxy proves and whom it trusts: its workload certificate (renewed by a {@link CertificateRotator}; every
 * new handshake presents the current one, established connections keep theirs) and the mesh's trust bundle (two
 * roots during a root rotation). TLS contexts are built once per trust bundle and reused.
 */
public final class ProxyIdentity implements AutoCloseable {

    private final CertificateRotator rotator;
    private final Supplier<TrustBundle> trust;
    private final boolean ownsRotator;
    private volatile Contexts contexts;

    private record Contexts(TrustBundle bundle, SSLContext server, ConcurrentMap<Set<SpiffeId>, SSLContext> clients) {}

    /** Uses {@code rotator} (closed by its owner, not by this) and the bundle {@code trust} gives at each handshake setup. */
    public ProxyIdentity(CertificateRotator rotator, Supplier<TrustBundle> trust) {
        this(rotator, trust, false);
    }

    private ProxyIdentity(CertificateRotator rotator, Supplier<TrustBundle> trust, boolean ownsRotator) {
        this.rotator = requireNonNull(rotator, "rotator");
        this.trust = requireNonNull(trust, "trust");
        this.ownsRotator = ownsRotator;
        this.contexts = contexts(requireNonNull(trust.get(), "trust bundle"));
    }

    /**
     * Issues {@code id} from {@code ca} with lifetime {@code ttl}, renewed at half of it, trusting {@code ca}'s bundle.
     * {@link #close()} stops the renewals.
     */
    public static ProxyIdentity issue(WorkloadCertificateAuthority ca, SpiffeId id, Duration ttl) {
        requireNonNull(ca, "ca");
        requireNonNull(id, "id");
        requireNonNull(ttl, "ttl");
        CertificateRotator rotator = CertificateRotator.start(() -> ca.issue(id, ttl),
                CertificateRotator.DEFAULT_RENEW_AT, Clock.systemUTC());
        TrustBundle bundle = ca.trustBundle();
        return new ProxyIdentity(rotator, () -> bundle, true);
    }

    /** The SPIFFE ID this proxy presents. */
    public SpiffeId id() {
        return rotator.current().spiffeId();
    }

    public CertificateRotator rotator() {
        return rotator;
    }

    public TrustBundle trustBundle() {
        return current().bundle();
    }

    /** The server context: presents the current certificate, accepts any client identity of the trust bundle. */
    public SSLContext serverContext() {
        return current().server();
    }

    /** A client context that accepts only a server presenting one of {@code peers}. */
    public SSLContext clientContext(Set<SpiffeId> peers) {
        requireNonNull(peers, "peers");
        Contexts now = current();
        return now.clients().computeIfAbsent(Set.copyOf(peers),
                p -> rotator.sslContext(now.bundle(), PeerIdentityVerifier.anyOf(p)));
    }

    private Contexts current() {
        Contexts now = contexts;
        TrustBundle bundle = trust.get();
        if (bundle == now.bundle() || bundle.equals(now.bundle())) {
            return now;
        }
        now = contexts(bundle);
        contexts = now;
        return now;
    }

    private Contexts contexts(TrustBundle bundle) {
        return new Contexts(bundle, rotator.sslContext(bundle, PeerIdentityVerifier.anyIdentity()),
                new ConcurrentHashMap<>());
    }

    @Override
    public void close() {
        if (ownsRotator) {
            rotator.close();
        }
    }

    @Override
    public String toString() {
        return "ProxyIdentity[" + id() + "]";
    }
}
