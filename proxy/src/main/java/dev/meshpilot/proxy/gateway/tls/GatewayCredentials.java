package dev.meshpilot.proxy.gateway.tls;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.gateway.GatewayServer;
import dev.meshpilot.proxy.gateway.ServerTls;
import dev.meshpilot.proxy.identity.PemFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * The certificates of terminating Gateway servers: from the file paths of {@code tls.serverCertificate},
 * {@code tls.privateKey} and {@code tls.caCertificates}, or from {@code tls.credentialName}, looked up like the
 * Kubernetes TLS Secret Istio reads, in the runtime's data directory (never in the mesh repository):
 * {@code <credentials>/<namespace of the Gateway>/<credentialName>/} first, then
 * {@code <credentials>/istio-system/<credentialName>/}, with the Secret's keys as file names {@code tls.crt},
 * {@code tls.key} and (MUTUAL) {@code ca.crt}.
 */
public final class GatewayCredentials {

    public static final String CERTIFICATE = "tls.crt";
    public static final String KEY = "tls.key";
    public static final String CA = "ca.crt";
    private static final String ROOT_NAMESPACE = "istio-system";

    private final @Nullable Path root;

    /** @param root the credentials directory ({@code <data>/credentials}); null: {@code credentialName} is refused */
    public GatewayCredentials(@Nullable Path root) {
        this.root = root;
    }

    /** The server context of a SIMPLE or MUTUAL server (MUTUAL: trusting its CA certificates). */
    public SSLContext load(GatewayServer server) throws CredentialException {
        requireNonNull(server, "server");
        ServerTls tls = requireNonNull(server.tls(), "server.tls");
        boolean mutual = tls.mode().equals(ServerTls.MUTUAL);
        Path certificate;
        Path key;
        @Nullable Path ca;
        if (tls.credentialName() != null) {
            Path dir = credentialDirectory(server, tls.credentialName());
            certificate = dir.resolve(CERTIFICATE);
            key = dir.resolve(KEY);
            ca = tls.caCertificates() != null ? Path.of(tls.caCertificates()) : mutual ? dir.resolve(CA) : null;
        } else {
            certificate = Path.of(required(server, "serverCertificate", tls.serverCertificate()));
            key = Path.of(required(server, "privateKey", tls.privateKey()));
            ca = mutual ? Path.of(required(server, "caCertificates", tls.caCertificates())) : null;
        }
        String field = tls.credentialName() != null ? "credentialName" : null;
        List<X509Certificate> chain = certificates(server, field != null ? field : "serverCertificate", certificate);
        PrivateKey privateKey = privateKey(server, field != null ? field : "privateKey", key);
        requireValid(server, field != null ? field : "serverCertificate", certificate, chain.get(0));
        if (!matches(chain.get(0), privateKey)) {
            throw new CredentialException(server.where() + ": tls." + (field != null ? field : "privateKey") + ": "
                    + key + " is not the key of " + chain.get(0).getSubjectX500Principal().getName()
                    + " in " + certificate);
        }
        List<X509Certificate> cas = ca == null ? List.of()
                : certificates(server, tls.caCertificates() != null ? "caCertificates" : "credentialName", ca);
        return context(server, chain, privateKey, cas);
    }

    private Path credentialDirectory(GatewayServer server, String name) throws CredentialException {
        if (root == null) {
            throw new CredentialException(server.where() + ": tls.credentialName: " + name
                    + ": no credentials directory (the gateway runs without a data directory)");
        }
        if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new CredentialException(server.where() + ": tls.credentialName: '" + name
                    + "' (expected: a Secret name)");
        }
        Path own = root.resolve(server.namespace()).resolve(name);
        if (Files.isDirectory(own)) {
            return own;
        }
        Path shared = root.resolve(ROOT_NAMESPACE).resolve(name);
        if (Files.isDirectory(shared)) {
            return shared;
        }
        throw new CredentialException(server.where() + ": tls.credentialName: " + name + ": no directory " + own
                + (own.equals(shared) ? "" : " or " + shared) + " (expected: " + CERTIFICATE + ", " + KEY
                + " and for MUTUAL " + CA + " in it)");
    }

    private static String required(GatewayServer server, String field, @Nullable String value)
            throws CredentialException {
        if (value == null) {
            throw new CredentialException(server.where() + ": tls." + field + ": missing (expected: a file path, "
                    + "or tls.credentialName)");
        }
        return value;
    }

    private static List<X509Certificate> certificates(GatewayServer server, String field, Path file)
            throws CredentialException {
        try {
            return PemFiles.certificates(file);
        } catch (IOException e) {
            throw new CredentialException(server.where() + ": tls." + field + ": " + file + ": " + reason(e), e);
        }
    }

    private static PrivateKey privateKey(GatewayServer server, String field, Path file) throws CredentialException {
        try {
            return PemFiles.privateKey(file);
        } catch (IOException e) {
            throw new CredentialException(server.where() + ": tls." + field + ": " + file + ": " + reason(e), e);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        String message = String.valueOf(e.getMessage());
        int prefix = message.indexOf(": ");
        return message.startsWith(CERTIFICATE) || message.startsWith(KEY) || message.startsWith(CA)
                || (prefix > 0 && !message.substring(0, prefix).contains(" ")) ? message.substring(prefix + 2)
                : message;
    }

    private static void requireValid(GatewayServer server, String field, Path file, X509Certificate leaf)
            throws CredentialException {
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new CredentialException(server.where() + ": tls." + field + ": " + file + ": expired on "
                    + leaf.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw new CredentialException(server.where() + ": tls." + field + ": " + file + ": not valid before "
                    + leaf.getNotBefore().toInstant());
        }
    }

    /** Whether {@code key} belongs to {@code certificate}: signs a fixed text and verifies with the certificate. */
    static boolean matches(X509Certificate certificate, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] text = "meshpilot gateway key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(text);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(text);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static SSLContext context(GatewayServer server, List<X509Certificate> chain, PrivateKey key,
            List<X509Certificate> cas) throws CredentialException {
        try {
            char[] password = new char[0];
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", key, password, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            TrustManager[] trust = null;
            if (!cas.isEmpty()) {
                KeyStore anchors = KeyStore.getInstance("PKCS12");
                anchors.load(null, null);
                for (int i = 0; i < cas.size(); i++) {
                    anchors.setCertificateEntry("ca-" + i, cas.get(i));
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(anchors);
                trust = tmf.getTrustManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), trust, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new CredentialException(server.where() + ": cannot create a TLS context: " + e.getMessage(), e);
        }
    }
}
