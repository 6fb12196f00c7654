package dev.meshpilot.proxy.tls;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.route.ClientTls;
import dev.meshpilot.proxy.gateway.tls.CredentialException;
import dev.meshpilot.proxy.gateway.tls.GatewayCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The client side of TLS origination (DestinationRule {@code tls.mode} SIMPLE / MUTUAL), as Istio does it:
 * the server's certificate is verified against {@code caCertificates} (a PEM file; {@code system} or absent: the JVM's
 * default trust store, Istio's OS roots) or the credential's {@code ca.crt}; its names against
 * {@code subjectAltNames}, else against the SNI; the SNI is {@code sni}, else the destination host;
 * {@code insecureSkipVerify} skips both checks. MUTUAL presents {@code clientCertificate}/{@code privateKey} or the
 * credential's {@code tls.crt}/{@code tls.key} ({@code credentialName}, looked up by {@link GatewayCredentials} in the
 * client proxy's namespace). Files are read when a setting is first used and again after {@link #RELOAD_NANOS}
 * (connections made with the older context leave the pool).
 */
public final class Originations {

    static final long RELOAD_NANOS = 60_000_000_000L;
    private static final int MAX_CACHED = 1024;
    private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|.*:.*");

    private final GatewayCredentials credentials;
    private final ConcurrentMap<Key, Entry> cache = new ConcurrentHashMap<>();

    private record Key(ClientTls tls, String namespace, String host) {}

    private record Entry(Origination origination, long madeAt) {}

    /** @param credentials the directory of {@code credentialName}s ({@code <data>/credentials}), or null */
    public Originations(@Nullable Path credentials) {
        this.credentials = new GatewayCredentials(credentials);
    }

    /**
     * The origination toward {@code host} with {@code tls} (SIMPLE or MUTUAL) for a proxy of {@code namespace}; an
     * {@link Origination#error()} when a file or the credential cannot be used.
     */
    public Origination of(ClientTls tls, String namespace, String host) {
        requireNonNull(tls, "tls");
        if (!tls.originates()) {
            throw new IllegalArgumentException("tls.mode: " + tls.mode() + " (expected: SIMPLE or MUTUAL)");
        }
        Key key = new Key(tls, requireNonNull(namespace, "namespace"), requireNonNull(host, "host"));
        long now = System.nanoTime();
        Entry known = cache.get(key);
        if (known != null && now - known.madeAt() < RELOAD_NANOS) {
            return known.origination();
        }
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        Origination made = make(tls, namespace, host);
        cache.put(key, new Entry(made, now));
        return made;
    }

    private Origination make(ClientTls tls, String namespace, String host) {
        String name = tls.sni() != null ? tls.sni() : host;
        String peer = tls.subjectAltNames().isEmpty() ? name : String.join(", ", tls.subjectAltNames());
        String where = "tls origination to " + host;
        try {
            Path credential = tls.credentialName() == null ? null
                    : credentials.directory(namespace, tls.credentialName(), false, where);
            TrustManager trust = tls.insecureSkipVerify() ? OriginationTrustManager.insecure(name)
                    : trustManager(tls, credential, name, where);
            KeyManager[] keys = tls.mode() == ClientTls.Mode.MUTUAL ? keyManagers(tls, credential, where) : null;
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, new TrustManager[] {trust}, null);
            return new Origination(context, sni(name), peer, null);
        } catch (CredentialException e) {
            return Origination.failed(peer, e.getMessage());
        } catch (GeneralSecurityException | IOException e) {
            return Origination.failed(peer, where + ": cannot create a TLS context: " + e.getMessage());
        }
    }

    private static TrustManager trustManager(ClientTls tls, @Nullable Path credential, String name, String where)
            throws CredentialException, GeneralSecurityException, IOException {
        String ca = tls.caCertificates();
        List<X509Certificate> anchors;
        String source;
        if (ca != null && !ca.equals(ClientTls.SYSTEM_CA)) {
            anchors = GatewayCredentials.certificates(where, "caCertificates", Path.of(ca));
            source = "caCertificates " + ca;
        } else if (ca == null && credential != null && Files.exists(credential.resolve(GatewayCredentials.CA))) {
            Path file = credential.resolve(GatewayCredentials.CA);
            anchors = GatewayCredentials.certificates(where, "credentialName", file);
            source = GatewayCredentials.CA + " of credential " + tls.credentialName();
        } else {
            anchors = null;
            source = "the JVM's default trust store";
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (anchors == null) {
            tmf.init((KeyStore) null);
        } else {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                store.setCertificateEntry("ca-" + i, anchors.get(i));
            }
            tmf.init(store);
        }
        X509TrustManager pkix = null;
        for (TrustManager t : tmf.getTrustManagers()) {
            if (t instanceof X509TrustManager x) {
                pkix = x;
            }
        }
        if (pkix == null) {
            throw new GeneralSecurityException("no X.509 trust manager for " + source);
        }
        return new OriginationTrustManager(pkix, source, name, tls.subjectAltNames());
    }

    private KeyManager[] keyManagers(ClientTls tls, @Nullable Path credential, String where)
            throws CredentialException, GeneralSecurityException, IOException {
        GatewayCredentials.KeyMaterial material;
        if (credential != null) {
            material = GatewayCredentials.keyMaterial(where, "credentialName", "credentialName",
                    credential.resolve(GatewayCredentials.CERTIFICATE), credential.resolve(GatewayCredentials.KEY));
        } else if (tls.clientCertificate() != null && tls.privateKey() != null) {
            material = GatewayCredentials.keyMaterial(where, "clientCertificate", "privateKey",
                    Path.of(tls.clientCertificate()), Path.of(tls.privateKey()));
        } else {
            throw new CredentialException(where + ": tls.clientCertificate: missing (expected: clientCertificate and "
                    + "privateKey file paths, or credentialName, with mode MUTUAL)");
        }
        char[] password = new char[0];
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", material.key(), password, material.chain().toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        return kmf.getKeyManagers();
    }

    /** {@code name} as an SNI host name; null for an IP address or a name SNI cannot carry. */
    private static @Nullable String sni(String name) {
        if (IP_LITERAL.matcher(name).matches()) {
            return null;
        }
        try {
            return new SNIHostName(name).getAsciiName();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
