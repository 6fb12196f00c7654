package dev.meshpilot.proxy.tls;

import static java.util.Objects.requireNonNull;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The server verification of TLS origination, as Envoy does it for Istio: the chain must lead to a trusted CA
 * ({@code caCertificates}, or the JVM's default trust store) and the leaf must name the expected host (the SNI, or the
 * destination host; wildcards in the left-most label) or, when {@code subjectAltNames} are given, one of those
 * (exact). Failures say which check failed: {@code certificate not trusted: …} or {@code hostname mismatch: …} /
 * {@code subjectAltNames mismatch: …}. With {@code insecureSkipVerify} ({@link #insecure}) nothing is checked.
 */
final class OriginationTrustManager extends X509ExtendedTrustManager {

    static final String NOT_TRUSTED = "certificate not trusted";
    static final String HOSTNAME_MISMATCH = "hostname mismatch";
    static final String SAN_MISMATCH = "subjectAltNames mismatch";

    private final @Nullable X509TrustManager pkix;
    private final String trustSource;
    private final String host;
    private final List<String> subjectAltNames;

    /**
     * @param pkix            the chain check (no host name check), or null to accept any server (insecureSkipVerify)
     * @param trustSource     where the trusted CAs come from, for messages
     * @param host            the name the certificate must carry when {@code subjectAltNames} is empty
     * @param subjectAltNames the names of which the certificate must carry one; empty: {@code host}
     */
    OriginationTrustManager(@Nullable X509TrustManager pkix, String trustSource, String host,
            List<String> subjectAltNames) {
        this.pkix = pkix;
        this.trustSource = requireNonNull(trustSource, "trustSource");
        this.host = requireNonNull(host, "host");
        this.subjectAltNames = List.copyOf(subjectAltNames);
    }

    static OriginationTrustManager insecure(String host) {
        return new OriginationTrustManager(null, "insecureSkipVerify", host, List.of());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (pkix == null) {
            return;
        }
        if (chain == null || chain.length == 0) {
            throw new CertificateException(NOT_TRUSTED + ": the server sent no certificate");
        }
        X509Certificate leaf = chain[0];
        try {
            pkix.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            throw new CertificateException(NOT_TRUSTED + ": " + leaf.getSubjectX500Principal().getName() + " (issued by "
                    + leaf.getIssuerX500Principal().getName() + ") does not verify against " + trustSource + ": "
                    + rootCause(e), e);
        }
        List<String> names = names(leaf);
        if (!subjectAltNames.isEmpty()) {
            for (String expected : subjectAltNames) {
                if (names.stream().anyMatch(n -> n.equalsIgnoreCase(expected))) {
                    return;
                }
            }
            throw new CertificateException(SAN_MISMATCH + ": the certificate of "
                    + leaf.getSubjectX500Principal().getName() + " names " + names + ", none of " + subjectAltNames);
        }
        for (String name : names) {
            if (matchesHost(name, host)) {
                return;
            }
        }
        throw new CertificateException(HOSTNAME_MISMATCH + ": the certificate of "
                + leaf.getSubjectX500Principal().getName() + " is for " + names + ", not " + host);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a TLS origination context verifies servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix == null ? new X509Certificate[0] : pkix.getAcceptedIssuers();
    }

    /** The DNS, IP and URI subject alternative names of {@code leaf}; its CN only when it has none. */
    static List<String> names(X509Certificate leaf) throws CertificateParsingException {
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
        if (sans != null) {
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                if (type == 2 || type == 6 || type == 7) { // dNSName, uniformResourceIdentifier, iPAddress
                    names.add(String.valueOf(san.get(1)));
                }
            }
        }
        if (names.isEmpty()) {
            for (String rdn : leaf.getSubjectX500Principal().getName().split(",")) {
                if (rdn.startsWith("CN=")) {
                    names.add(rdn.substring(3));
                }
            }
        }
        return names;
    }

    /** RFC 6125 matching: case-insensitive, a {@code *} only as the whole left-most label, matching one label. */
    static boolean matchesHost(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (p.endsWith(".")) {
            p = p.substring(0, p.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (!p.startsWith("*.")) {
            return p.equals(h);
        }
        int dot = h.indexOf('.');
        return dot > 0 && p.substring(1).equals(h.substring(dot)) && p.substring(2).contains(".");
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
