package dev.meshpilot.proxy.identity;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.jspecify.annotations.Nullable;

/** PEM encoding of certificates and (encrypted) PKCS#8 private keys. */
final class Pem {

    private static final int PBKDF2_ITERATIONS = 100_000;
    /** BouncyCastle as a provider instance for the PEM encryption only (never registered globally). */
    private static final Provider BC = new BouncyCastleProvider();

    private Pem() {}

    static String certificates(List<X509Certificate> certificates) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (X509Certificate certificate : certificates) {
                writer.writeObject(certificate);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * An {@code ENCRYPTED PRIVATE KEY} block: PKCS#8 encrypted with AES-256-CBC, key derived from the password with
     * PBKDF2-HMAC-SHA256.
     */
    static String encryptedPrivateKey(PrivateKey key, char[] password) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            JceOpenSSLPKCS8EncryptorBuilder encryptor =
                    new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC);
            encryptor.setPRF(JcaPKCS8Generator.PRF_HMACSHA256);
            encryptor.setIterationCount(PBKDF2_ITERATIONS);
            encryptor.setPassword(password);
            encryptor.setProvider(BC);
            writer.writeObject(new JcaPKCS8Generator(key, encryptor.build()));
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot encrypt the private key", e);
        }
        return out.toString();
    }

    /** An unencrypted {@code PRIVATE KEY} block (for keys that the caller owns, never for the mesh root). */
    static String privateKey(PrivateKey key) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static List<X509Certificate> readCertificates(Path file) throws IOException {
        return readCertificates(file.getFileName().toString(), Files.readString(file, StandardCharsets.US_ASCII));
    }

    /** Every {@code CERTIFICATE} block of {@code pem} ({@code name} is the file or Secret key errors name). */
    static List<X509Certificate> readCertificates(String name, String pem) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (CertificateException e) {
            throw new IOException(name + ": invalid certificate", e);
        }
        if (certificates.isEmpty()) {
            throw new IOException(name + ": no CERTIFICATE block (expected: PEM certificates)");
        }
        return certificates;
    }

    static PrivateKey readPrivateKey(Path file, char @Nullable [] password) throws IOException {
        return readPrivateKey(file.getFileName().toString(), Files.readString(file, StandardCharsets.US_ASCII),
                password);
    }

    /** Reads PKCS#8 ({@code PRIVATE KEY}), encrypted PKCS#8 (needs the password) or SEC1 ({@code EC PRIVATE KEY}). */
    static PrivateKey readPrivateKey(String name, String pem, char @Nullable [] password) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    if (password == null) {
                        throw new IOException(name + ": encrypted key (expected: a key-encryption password in "
                                + CaSettings.KEY_PASSWORD_ENV + ")");
                    }
                    return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(
                            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(password)));
                }
            }
        } catch (PKCSException | OperatorCreationException e) {
            throw new IOException(name + ": cannot decrypt (wrong key-encryption password?)", e);
        } catch (PEMException e) {
            throw new IOException(name + ": invalid private key", e);
        }
        throw new IOException(name + ": no private key block (expected: PEM PKCS#8 or EC key)");
    }
}
