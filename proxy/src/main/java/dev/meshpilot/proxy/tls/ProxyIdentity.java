package dev.meshpilot.proxy.tls;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.identity.CertificateRotator;
import dev.meshpilot.proxy.identity.PeerIdentityVerifier;
import dev.meshpilot.proxy.identity.SpiffeId;
import dev.meshpilot.proxy.identity.TrustBundle;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * What one proxy proves and whom it trusts: its workload certificate (renewed by a {@link CertificateRotator}; every
 * new handshake presents the current one, established connections keep theirs) and the mesh's trust bundle (two
 * roots during a root rotation). TLS contexts are built once per trust bundle and reused.
 */
public final class ProxyIdentity implements AutoCloseable {

    /**
     * Lifetime of resumable server sessions, as the identity package's contexts: a resumed session keeps the identity
     * of its full handshake, so it stays well below the workload certificate lifetime.
     */
    private static final int SESSION_TIMEOUT_SECONDS = 300;

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
     * Issues {@code id} from {@code ca} with lifetime {@code ttl}, renewed at half of it and at once on a root
     * rotation, trusting {@code ca}'s bundle as it changes. {@link #close()} stops the renewals.
     */
    public static ProxyIdentity issue(WorkloadCertificateAuthority ca, SpiffeId id, Duration ttl) {
        requireNonNull(ca, "ca");
        requireNonNull(id, "id");
        requireNonNull(ttl, "ttl");
        return new ProxyIdentity(CertificateRotator.start(ca, id, ttl), ca::trustBundle, true);
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
        return new Contexts(bundle, serverContext(bundle), new ConcurrentHashMap<>());
    }

    /** TLS 1.3, the rotating key manager, any identity of the bundle, refusals logged; sessions kept 300 s. */
    private SSLContext serverContext(TrustBundle bundle) {
        try {
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(new KeyManager[] {rotator.keyManager()}, new TrustManager[] {new RefusalLoggingTrustManager(
                    bundle.trustManager(PeerIdentityVerifier.anyIdentity()), id().toString())}, new SecureRandom());
            context.getServerSessionContext().setSessionTimeout(SESSION_TIMEOUT_SECONDS);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(id() + ": cannot create a TLSv1.3 server context", e);
        }
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
