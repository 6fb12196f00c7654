package dev.meshpilot.proxy.identity;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Kubernetes-style SPIFFE ID {@code spiffe://<trust domain>/ns/<namespace>/sa/<service account>}, the identity a
 * workload certificate carries as its only URI subject alternative name.
 */
public record SpiffeId(String trustDomain, String namespace, String serviceAccount) {

    public static final String DEFAULT_TRUST_DOMAIN = "cluster.local";

    private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]{1,255}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern SEGMENT = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    public SpiffeId {
        requireNonNull(trustDomain, "trustDomain");
        requireNonNull(namespace, "namespace");
        requireNonNull(serviceAccount, "serviceAccount");
        requireTrustDomain(trustDomain);
        if (!LABEL.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace: '" + namespace + "' (expected: a DNS-1123 label)");
        }
        if (!SEGMENT.matcher(serviceAccount).matches()) {
            throw new IllegalArgumentException(
                    "serviceAccount: '" + serviceAccount + "' (expected: a DNS-1123 subdomain)");
        }
    }

    /** The identity of a service account in the default trust domain {@value #DEFAULT_TRUST_DOMAIN}. */
    public static SpiffeId of(String namespace, String serviceAccount) {
        return new SpiffeId(DEFAULT_TRUST_DOMAIN, namespace, serviceAccount);
    }

    /** Parses {@code spiffe://td/ns/X/sa/Y}; anything else (query, fragment, port, user info, extra path) fails. */
    public static SpiffeId parse(String value) {
        requireNonNull(value, "value");
        String prefix = "spiffe://";
        if (!value.startsWith(prefix)) {
            throw invalid(value, "scheme spiffe://");
        }
        String rest = value.substring(prefix.length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw invalid(value, "a trust domain and a path");
        }
        String trustDomain = rest.substring(0, slash);
        if (!TRUST_DOMAIN.matcher(trustDomain).matches()) {
            throw invalid(value, "a trust domain of [a-z0-9._-]");
        }
        String[] path = rest.substring(slash + 1).split("/", -1);
        if (path.length != 4 || !path[0].equals("ns") || !path[2].equals("sa")) {
            throw invalid(value, "path /ns/<namespace>/sa/<service account>");
        }
        try {
            return new SpiffeId(trustDomain, path[1], path[3]);
        } catch (IllegalArgumentException e) {
            throw invalid(value, "path /ns/<namespace>/sa/<service account>: " + e.getMessage());
        }
    }

    /**
     * The SPIFFE ID of a certificate: its URI subject alternative names must hold exactly one {@code spiffe://} URI.
     */
    public static Optional<SpiffeId> fromCertificate(X509Certificate certificate) {
        requireNonNull(certificate, "certificate");
        List<String> uris = spiffeUris(certificate);
        if (uris.size() != 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(uris.get(0)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static void requireTrustDomain(String trustDomain) {
        if (!TRUST_DOMAIN.matcher(trustDomain).matches()) {
            throw new IllegalArgumentException("trustDomain: '" + trustDomain + "' (expected: [a-z0-9._-]{1,255})");
        }
    }

    private static List<String> spiffeUris(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of();
        }
        if (names == null) {
            return List.of();
        }
        List<String> uris = new ArrayList<>();
        for (List<?> name : names) {
            if (name.size() == 2 && Integer.valueOf(6).equals(name.get(0)) && name.get(1) instanceof String uri
                    && uri.startsWith("spiffe:")) {
                uris.add(uri);
            }
        }
        return uris;
    }

    private static IllegalArgumentException invalid(String value, String expected) {
        return new IllegalArgumentException("spiffeId: '" + value + "' (expected: " + expected + ")");
    }

    public URI toUri() {
        return URI.create(toString());
    }

    @Override
    public String toString() {
        return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }
}
