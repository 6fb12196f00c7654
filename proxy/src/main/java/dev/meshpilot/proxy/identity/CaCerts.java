package dev.meshpilot.proxy.identity;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A plugged-in CA in Istio's four files ("plug in CA certificates"): {@code ca-cert.pem} (the intermediate that signs
 * workload certificates), {@code ca-key.pem} (its key: PKCS#8, SEC1, or encrypted PKCS#8 with
 * {@value CaSettings#KEY_PASSWORD_ENV}), {@code root-cert.pem} (the trust anchor) and {@code cert-chain.pem} (the
 * intermediate, then its issuers up to the root). The same names are the keys of Istio's {@code cacerts} Secret.
 *
 * @param source where the files come from, for messages ({@code /etc/cacerts}, {@code Secret istio-system/cacerts})
 */
public record CaCerts(String source, String caCertPem, String caKeyPem, String rootCertPem, String certChainPem) {

    public static final String CA_CERT = "ca-cert.pem";
    public static final String CA_KEY = "ca-key.pem";
    public static final String ROOT_CERT = "root-cert.pem";
    public static final String CERT_CHAIN = "cert-chain.pem";
    public static final List<String> NAMES = List.of(CA_CERT, CA_KEY, ROOT_CERT, CERT_CHAIN);

    public CaCerts {
        requireNonNull(source, "source");
        requireNonNull(caCertPem, "caCertPem");
        requireNonNull(caKeyPem, "caKeyPem");
        requireNonNull(rootCertPem, "rootCertPem");
        requireNonNull(certChainPem, "certChainPem");
    }

    /** Reads the four files of {@code dir}, which must lie outside any git repository. */
    public static CaCerts read(Path dir) {
        requireNonNull(dir, "dir");
        Path absolute = dir.toAbsolutePath().normalize();
        DirectoryRootStore.requireOutsideGitRepository(absolute, "ca-certs");
        if (!Files.isDirectory(absolute)) {
            throw new IllegalArgumentException("ca-certs: " + absolute + " is not a directory (expected: a directory "
                    + "with " + String.join(", ", NAMES) + ")");
        }
        String[] pem = new String[NAMES.size()];
        for (int i = 0; i < pem.length; i++) {
            Path file = absolute.resolve(NAMES.get(i));
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + ": missing (expected: Istio's " + String.join(", ", NAMES)
                        + ")");
            }
            try {
                pem[i] = Files.readString(file, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": " + e.getMessage(), e);
            }
        }
        return new CaCerts(absolute.toString(), pem[0], pem[1], pem[2], pem[3]);
    }

    /** The four entries of {@code data} (e.g. a Secret's decoded data); every name is required. */
    public static CaCerts of(String source, Map<String, String> data) {
        requireNonNull(data, "data");
        for (String name : NAMES) {
            if (!data.containsKey(name)) {
                throw new IllegalArgumentException(source + ": " + name + " missing (expected: keys "
                        + String.join(", ", NAMES) + ")");
            }
        }
        return new CaCerts(source, data.get(CA_CERT), data.get(CA_KEY), data.get(ROOT_CERT), data.get(CERT_CHAIN));
    }

    @Override
    public String toString() {
        return "CaCerts[" + source + "]";
    }
}
