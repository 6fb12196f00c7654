package dev.meshpilot.policy.route;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A DestinationRule's {@code tls} block (Istio's ClientTLSSettings): how the client side of a proxy talks to the
 * destination's endpoints. File paths are the operator's (PEM files on the proxy's machine); the engine does not read
 * them. The block is one field of a {@link TrafficPolicy}: a port-level or subset-level {@code tls} replaces it whole.
 *
 * @param mode               {@code tls.mode}
 * @param clientCertificate  MUTUAL: path of the PEM certificate (chain) the proxy presents, or null
 * @param privateKey         MUTUAL: path of the PEM private key of {@code clientCertificate}, or null
 * @param caCertificates     path of the PEM CA certificates that verify the server's certificate, or null (Istio:
 *                           the system's trusted roots); {@value #SYSTEM_CA} names the system's roots explicitly
 * @param credentialName     the Secret holding the client certificate, key and CA certificates, or null
 * @param subjectAltNames    the server certificate's subject alternative names accepted; empty: the SNI (or the
 *                           destination host) must match the certificate
 * @param sni                the SNI sent in the handshake, or null (the destination host)
 * @param insecureSkipVerify {@code tls.insecureSkipVerify}: the server certificate and its names are not verified
 */
public record ClientTls(Mode mode, @Nullable String clientCertificate, @Nullable String privateKey,
        @Nullable String caCertificates, @Nullable String credentialName, List<String> subjectAltNames,
        @Nullable String sni, boolean insecureSkipVerify) {

    /** The {@code caCertificates} value that asks for the system's trusted roots. */
    public static final String SYSTEM_CA = "system";

    /** Istio's ClientTLSSettings.TLSmode. */
    public enum Mode {
        /** Plaintext to the endpoints. */
        DISABLE,
        /** TLS origination: the proxy opens TLS to the endpoint and verifies the server's certificate. */
        SIMPLE,
        /** As SIMPLE, presenting a client certificate ({@code clientCertificate}/{@code privateKey} or a credential). */
        MUTUAL,
        /** Mutual TLS with the mesh's workload certificates. */
        ISTIO_MUTUAL
    }

    public ClientTls {
        requireNonNull(mode, "mode");
        subjectAltNames = List.copyOf(subjectAltNames);
    }

    /** A {@code tls} block that sets only {@code mode}. */
    public static ClientTls of(Mode mode) {
        return new ClientTls(mode, null, null, null, null, List.of(), null, false);
    }

    /** Whether the proxy originates TLS itself (SIMPLE or MUTUAL). */
    public boolean originates() {
        return mode == Mode.SIMPLE || mode == Mode.MUTUAL;
    }
}
