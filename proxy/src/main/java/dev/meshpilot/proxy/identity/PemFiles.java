package dev.meshpilot.proxy.identity;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads PEM files a user provides (a gateway's server certificate, its key, client CA certificates). Errors name the
 * file but never include a key's content.
 */
public final class PemFiles {

    private PemFiles() {}

    /** Every {@code CERTIFICATE} block of {@code file}, in order; fails when there is none. */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        return List.copyOf(Pem.readCertificates(requireNonNull(file, "file")));
    }

    /**
     * The unencrypted private key of {@code file}: PKCS#8 {@code PRIVATE KEY}, {@code EC PRIVATE KEY} (with or without
     * its public key) or {@code RSA PRIVATE KEY}.
     */
    public static PrivateKey privateKey(Path file) throws IOException {
        requireNonNull(file, "file");
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (object instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IOException("encrypted private key (expected: an unencrypted PEM key)");
                }
            }
        } catch (PEMException | IllegalArgumentException e) {
            throw new IOException("invalid private key (expected: PEM PKCS#8, EC or RSA key)", e);
        }
        throw new IOException("no private key block (expected: PEM PKCS#8, EC or RSA key)");
    }

    /** PEM text of {@code certificates}, in order. */
    public static String toPem(List<X509Certificate> certificates) {
        return Pem.certificates(requireNonNull(certificates, "certificates"));
    }
}
