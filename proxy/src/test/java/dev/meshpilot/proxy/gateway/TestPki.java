package dev.meshpilot.proxy.gateway;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test certificate authority (BouncyCastle): issues server and client certificates and writes them as PEM (also used
 * by the TLS origination tests).
 */
public final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    public record Issued(X509Certificate certificate, KeyPair keys) {}

    private final Issued ca;

    public TestPki(String name) {
        KeyPair keys = newKeys();
        X500Name subject = new X500Name("CN=" + name);
        this.ca = new Issued(sign(subject, keys, subject, keys.getPublic(), null, true, Instant.now()
                .plus(Duration.ofDays(1))), keys);
    }

    public X509Certificate certificate() {
        return ca.certificate();
    }

    /** A certificate for the DNS name {@code host}, valid until {@code notAfter}. */
    public Issued issue(String host, Instant notAfter) {
        KeyPair keys = newKeys();
        X509Certificate cert = sign(X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                ca.keys(), new X500Name("CN=" + host), keys.getPublic(), host, false, notAfter);
        return new Issued(cert, keys);
    }

    public Issued issue(String host) {
        return issue(host, Instant.now().plus(Duration.ofHours(1)));
    }

    /** Writes {@code tls.crt}, {@code tls.key} and {@code ca.crt} (this CA) into {@code dir}, as a TLS Secret. */
    public Path writeCredential(Path dir, Issued issued) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("tls.crt"), pem(issued.certificate()));
            Files.writeString(dir.resolve("tls.key"), pem(issued.keys().getPrivate()));
            Files.writeString(dir.resolve("ca.crt"), pem(ca.certificate()));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client context trusting this CA, presenting {@code client} when not null. */
    public SSLContext clientContext(Issued client) {
        return context(client);
    }

    public SSLContext clientContext() {
        return context(null);
    }

    private SSLContext context(Issued client) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (client != null) {
                char[] password = "test".toCharArray();
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", client.keys().getPrivate(), password,
                        new Certificate[] {client.certificate()});
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, password);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** PEM of a certificate, or of a private key as PKCS#8 {@code PRIVATE KEY} (as openssl writes them). */
    public static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object instanceof java.security.PrivateKey key
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X500Name issuer, KeyPair issuerKeys, X500Name subject,
            java.security.PublicKey key, String host, boolean isCa, Instant notAfter) {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofDays(2))),
                    Date.from(notAfter), subject, key);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (host != null) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, host)));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
