package dev.meshpilot.console.ca;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;

/**
 * What an operator reads of a CA certificate: subject, serial (hex), end of validity and the SHA-256 fingerprint of
 * its DER encoding ({@code AB:CD:...}, as {@code openssl x509 -fingerprint -sha256} prints it).
 */
public record CertificateSummary(String subject, String serial, Instant notAfter, String sha256Fingerprint) {

    public CertificateSummary {
        requireNonNull(subject, "subject");
        requireNonNull(serial, "serial");
        requireNonNull(notAfter, "notAfter");
        requireNonNull(sha256Fingerprint, "sha256Fingerprint");
    }

    public static CertificateSummary of(X509Certificate certificate) {
        requireNonNull(certificate, "certificate");
        return new CertificateSummary(certificate.getSubjectX500Principal().getName(),
                certificate.getSerialNumber().toString(16), certificate.getNotAfter().toInstant(),
                fingerprint(certificate));
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("SHA-256 fingerprint of " + certificate.getSubjectX500Principal(), e);
        }
    }
}
