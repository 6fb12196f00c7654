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
 * {@code tls.key} and (MUTUAL) {@code ca.crt}. The same lookup and PEM checks serve the client certificates of TLS
 * origination ({@code dev.meshpilot.proxy.tls.Originations}: DestinationRule {@code tls.credentialName}, looked up in
 * the client proxy's namespace only, as Istio does for sidecars).
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

    /** A certificate chain and the private key it belongs to. */
    public record KeyMaterial(List<X509Certificate> chain, PrivateKey key) {
        public KeyMaterial {
            chain = List.copyOf(chain);
            requireNonNull(key, "key");
        }
    }

    /** The server context of a SIMPLE or MUTUAL server (MUTUAL: trusting its CA certificates). */
    public SSLContext load(GatewayServer server) throws CredentialException {
        requireNonNull(server, "server");
        ServerTls tls = requireNonNull(server.tls(), "server.tls");
        boolean mutual = tls.mode().equals(ServerTls.MUTUAL);
        String where = server.where();
        Path certificate;
        Path key;
        @Nullable Path ca;
        if (tls.credentialName() != null) {
            Path dir = directory(server.namespace(), tls.credentialName(), true, where);
            certificate = dir.resolve(CERTIFICATE);
            key = dir.resolve(KEY);
            ca = tls.caCertificates() != null ? Path.of(tls.caCertificates()) : mutual ? dir.resolve(CA) : null;
        } else {
            certificate = Path.of(required(where, "serverCertificate", tls.serverCertificate()));
            key = Path.of(required(where, "privateKey", tls.privateKey()));
            ca = mutual ? Path.of(required(where, "caCertificates", tls.caCertificates())) : null;
        }
        String field = tls.credentialName() != null ? "credentialName" : null;
        KeyMaterial material = keyMaterial(where, field != null ? field : "serverCertificate",
                field != null ? field : "privateKey", certificate, key);
        List<X509Certificate> cas = ca == null ? List.of()
                : certificates(where, tls.caCertificates() != null ? "caCertificates" : "credentialName", ca);
        return context(where, material.chain(), material.key(), cas);
    }

    /**
     * A certificate chain and its key from PEM files, refused when the certificate is expired or not yet valid, or
     * the key is not its key; the messages start with {@code where} and name the field ({@code tls.<field>}).
     */
    public static KeyMaterial keyMaterial(String where, String certificateField, String keyField, Path certificate,
            Path key) throws CredentialException {
        List<X509Certificate> chain = certificates(where, certificateField, certificate);
        PrivateKey privateKey = privateKey(where, keyField, key);
        requireValid(where, certificateField, certificate, chain.get(0));
        if (!matches(chain.get(0), privateKey)) {
            throw new CredentialException(where + ": tls." + keyField + ": " + key + " is not the key of "
                    + chain.get(0).getSubjectX500Principal().getName() + " in " + certificate);
        }
        return new KeyMaterial(chain, privateKey);
    }

    /**
     * The directory of credential {@code name} as a proxy of {@code namespace} sees it, like the Kubernetes Secret
     * Istio reads: {@code <credentials>/<namespace>/<name>/}, then (with {@code rootFallback}, as the gateways do)
     * {@code <credentials>/istio-system/<name>/}.
     */
    public Path directory(String namespace, String name, boolean rootFallback, String where)
            throws CredentialException {
        requireNonNull(namespace, "namespace");
        requireNonNull(name, "name");
        if (root == null) {
            throw new CredentialException(where + ": tls.credentialName: " + name
                    + ": no credentials directory (the gateway runs without a data directory)");
        }
        if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new CredentialException(where + ": tls.credentialName: '" + name + "' (expected: a Secret name)");
        }
        Path own = root.resolve(namespace).resolve(name);
        if (Files.isDirectory(own)) {
            return own;
        }
        Path shared = root.resolve(ROOT_NAMESPACE).resolve(name);
        if (rootFallback && Files.isDirectory(shared)) {
            return shared;
        }
        throw new CredentialException(where + ": tls.credentialName: " + name + ": no directory " + own
                + (!rootFallback || own.equals(shared) ? "" : " or " + shared) + " (expected: " + CERTIFICATE + ", "
                + KEY + " and for MUTUAL " + CA + " in it)");
    }

    private static String required(String where, String field, @Nullable String value)
            throws CredentialException {
        if (value == null) {
            throw new CredentialException(where + ": tls." + field + ": missing (expected: a file path, "
                    + "or tls.credentialName)");
        }
        return value;
    }

    /** The certificates of a PEM file; the message of a failure starts with {@code where} and names the field. */
    public static List<X509Certificate> certificates(String where, String field, Path file)
            throws CredentialException {
        try {
            return PemFiles.certificates(file);
        } catch (IOException e) {
            throw new CredentialException(where + ": tls." + field + ": " + file + ": " + reason(e), e);
        }
    }

    private static PrivateKey privateKey(String where, String field, Path file) throws CredentialException {
        try {
            return PemFiles.privateKey(file);
        } catch (IOException e) {
            throw new CredentialException(where + ": tls." + field + ": " + file + ": " + reason(e), e);
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

    private static void requireValid(String where, String field, Path file, X509Certificate leaf)
            throws CredentialException {
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new CredentialException(where + ": tls." + field + ": " + file + ": expired on "
                    + leaf.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw new CredentialException(where + ": tls." + field + ": " + file + ": not valid before "
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

    private static SSLContext context(String where, List<X509Certificate> chain, PrivateKey key,
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
            throw new CredentialException(where + ": cannot create a TLS context: " + e.getMessage(), e);
        }
    }
}
