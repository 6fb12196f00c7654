package dev.meshpilot.proxy.identity;

import static java.util.Objects.requireNonNull;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Validates a peer chain against a {@link TrustBundle} (PKIX, no revocation, no hostname verification), requires a
 * SPIFFE ID of the bundle's trust domain and the right extended key usage, then asks a {@link PeerIdentityVerifier}.
 * After the handshake, {@link #peerIdentity(SSLSession)} gives the peer's SPIFFE ID.
 */
public final class SpiffeTrustManager extends X509ExtendedTrustManager {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private final TrustBundle bundle;
    private final PeerIdentityVerifier verifier;
    private final Clock clock;
    private final Set<TrustAnchor> anchors = new HashSet<>();

    SpiffeTrustManager(TrustBundle bundle, PeerIdentityVerifier verifier, Clock clock) {
        this.bundle = requireNonNull(bundle, "bundle");
        this.verifier = requireNonNull(verifier, "verifier");
        this.clock = requireNonNull(clock, "clock");
        bundle.roots().forEach(root -> anchors.add(new TrustAnchor(root, null)));
    }

    /** The SPIFFE ID of the peer of an established TLS session. */
    public static SpiffeId peerIdentity(SSLSession session) throws SSLPeerUnverifiedException {
        requireNonNull(session, "session");
        Certificate[] chain = session.getPeerCertificates();
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            throw new SSLPeerUnverifiedException("peer: no X.509 certificate");
        }
        return SpiffeId.fromCertificate(leaf)
                .orElseThrow(() -> new SSLPeerUnverifiedException("peer: no SPIFFE ID in its certificate"));
    }

    /** Validates a client chain and returns its SPIFFE ID (without asking the verifier). */
    public SpiffeId validateClient(X509Certificate[] chain) throws CertificateException {
        return validate(chain, CLIENT_AUTH);
    }

    /** Validates a server chain and returns its SPIFFE ID (without asking the verifier). */
    public SpiffeId validateServer(X509Certificate[] chain) throws CertificateException {
        return validate(chain, SERVER_AUTH);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verifier.check(validateClient(chain));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verifier.check(validateServer(chain));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return bundle.roots().toArray(new X509Certificate[0]);
    }

    private SpiffeId validate(X509Certificate @Nullable [] chain, String purpose) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("peer chain: empty (expected: a workload certificate)");
        }
        List<X509Certificate> path = new ArrayList<>();
        for (X509Certificate certificate : chain) {
            if (bundle.roots().contains(certificate)) {
                break;
            }
            path.add(certificate);
        }
        if (path.isEmpty()) {
            throw new CertificateException("peer chain: starts with a trust anchor (expected: a workload certificate)");
        }
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(clock.instant()));
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
        } catch (GeneralSecurityException e) {
            throw new CertificateException("peer chain of " + describe(chain[0]) + ": " + e.getMessage(), e);
        }
        X509Certificate leaf = chain[0];
        if (leaf.getBasicConstraints() >= 0) {
            throw new CertificateException("peer certificate: CA:true (expected: a workload certificate)");
        }
        List<String> usages = leaf.getExtendedKeyUsage();
        if (usages == null || !usages.contains(purpose)) {
            throw new CertificateException("peer certificate: extended key usage " + usages + " (expected: "
                    + (purpose.equals(SERVER_AUTH) ? "serverAuth" : "clientAuth") + ")");
        }
        SpiffeId id = SpiffeId.fromCertificate(leaf).orElseThrow(() -> new CertificateException(
                "peer certificate: " + describe(leaf) + " (expected: exactly one spiffe:// URI SAN)"));
        if (!id.trustDomain().equals(bundle.trustDomain())) {
            throw new CertificateException("peer identity: " + id + " (expected: trust domain "
                    + bundle.trustDomain() + ")");
        }
        return id;
    }

    private static String describe(X509Certificate certificate) {
        try {
            return "serial " + certificate.getSerialNumber().toString(16) + " SAN "
                    + certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return "serial " + certificate.getSerialNumber().toString(16);
        }
    }
}
