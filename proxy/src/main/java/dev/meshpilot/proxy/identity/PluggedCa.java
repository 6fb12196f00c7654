package dev.meshpilot.proxy.identity;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks a plugged-in CA before it signs anything: every certificate valid now, {@code ca-cert.pem} and
 * {@code root-cert.pem} CAs, {@code ca-key.pem} the key of {@code ca-cert.pem}, {@code cert-chain.pem} starting with
 * {@code ca-cert.pem} and validating (PKIX) up to {@code root-cert.pem}. Every failure names the file.
 */
final class PluggedCa {

    private PluggedCa() {}

    static Signer signer(CaCerts certs, char @Nullable [] password, Instant now) {
        String where = certs.source() + ": ";
        try {
            X509Certificate ca = Pem.readCertificates(CaCerts.CA_CERT, certs.caCertPem()).get(0);
            PrivateKey key = Pem.readPrivateKey(CaCerts.CA_KEY, certs.caKeyPem(), password);
            X509Certificate root = Pem.readCertificates(CaCerts.ROOT_CERT, certs.rootCertPem()).get(0);
            List<X509Certificate> chain = Pem.readCertificates(CaCerts.CERT_CHAIN, certs.certChainPem());
            requireValidCa(where + CaCerts.ROOT_CERT, root, now);
            requireValidCa(where + CaCerts.CA_CERT, ca, now);
            for (X509Certificate certificate : chain) {
                requireValid(where + CaCerts.CERT_CHAIN, certificate, now);
            }
            if (!X509Builders.matches(ca, key)) {
                throw new IllegalArgumentException(where + CaCerts.CA_KEY + ": not the key of " + CaCerts.CA_CERT
                        + " " + name(ca) + " (expected: the intermediate's EC private key)");
            }
            if (!chain.get(0).equals(ca)) {
                throw new IllegalArgumentException(where + CaCerts.CERT_CHAIN + ": starts with " + name(chain.get(0))
                        + " (expected: " + CaCerts.CA_CERT + " " + name(ca) + " first)");
            }
            List<X509Certificate> tail = withoutAnchor(chain, root);
            requireChainsTo(where, tail, root, now);
            return new Signer(ca, key, tail, root);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        }
    }

    /** {@code chain} up to (without) {@code root}. */
    private static List<X509Certificate> withoutAnchor(List<X509Certificate> chain, X509Certificate root) {
        List<X509Certificate> tail = new ArrayList<>();
        for (X509Certificate certificate : chain) {
            if (certificate.equals(root)) {
                break;
            }
            tail.add(certificate);
        }
        return tail;
    }

    private static void requireChainsTo(String where, List<X509Certificate> tail, X509Certificate root, Instant now) {
        if (tail.isEmpty()) {
            return; // ca-cert.pem is the root itself
        }
        try {
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(tail), parameters);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(where + CaCerts.CERT_CHAIN + ": " + name(tail.get(0))
                    + " is not signed by the chain of " + CaCerts.ROOT_CERT + " " + name(root) + " (" + e.getMessage()
                    + ")", e);
        }
    }

    private static void requireValidCa(String file, X509Certificate certificate, Instant now) {
        requireValid(file, certificate, now);
        if (certificate.getBasicConstraints() < 0) {
            throw new IllegalArgumentException(file + ": " + name(certificate)
                    + " is not a CA (expected: basicConstraints CA:true)");
        }
    }

    private static void requireValid(String file, X509Certificate certificate, Instant now) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        Instant notBefore = certificate.getNotBefore().toInstant();
        if (!now.isBefore(notAfter)) {
            throw new IllegalArgumentException(file + ": " + name(certificate) + " expired at " + notAfter
                    + " (expected: valid now, " + now + ")");
        }
        if (now.isBefore(notBefore)) {
            throw new IllegalArgumentException(file + ": " + name(certificate) + " is not valid before " + notBefore
                    + " (expected: valid now, " + now + ")");
        }
    }

    private static String name(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }
}
