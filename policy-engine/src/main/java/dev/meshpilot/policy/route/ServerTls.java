package dev.meshpilot.policy.route;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A Gateway server's {@code tls} block (Istio's ServerTLSSettings), as written. File paths are the operator's; the
 * engine does not read them.
 *
 * @param mode               {@code tls.mode}; null when not written (Istio's default is {@link Mode#PASSTHROUGH})
 * @param httpsRedirect      {@code tls.httpsRedirect}: an HTTP server answers 301 to {@code https}
 * @param serverCertificate  path of the PEM certificate chain, or null
 * @param privateKey         path of the PEM private key, or null
 * @param caCertificates     path of the PEM CA certificates that verify client certificates, or null
 * @param credentialName     the Secret holding certificate, key and CA, or null
 * @param subjectAltNames    the client certificate SANs accepted (MUTUAL), empty when any
 * @param minProtocolVersion {@code tls.minProtocolVersion}, null when not written
 * @param maxProtocolVersion {@code tls.maxProtocolVersion}, null when not written
 * @param cipherSuites       {@code tls.cipherSuites} as written, empty when the defaults apply
 */
public record ServerTls(@Nullable Mode mode, boolean httpsRedirect, @Nullable String serverCertificate,
        @Nullable String privateKey, @Nullable String caCertificates, @Nullable String credentialName,
        List<String> subjectAltNames, @Nullable ProtocolVersion minProtocolVersion,
        @Nullable ProtocolVersion maxProtocolVersion, List<String> cipherSuites) {

    /** Istio's ServerTLSSettings.TLSmode. */
    public enum Mode {
        /** Forward the connection by SNI without terminating TLS. */
        PASSTHROUGH,
        /** Terminate TLS with the server's certificate. */
        SIMPLE,
        /** Terminate TLS and require a client certificate signed by {@code caCertificates}. */
        MUTUAL,
        /** As PASSTHROUGH, the SNI naming the destination service ({@code outbound_.port_.subset_.host}). */
        AUTO_PASSTHROUGH,
        /** Terminate TLS with the mesh's workload certificates (the client is a mesh workload). */
        ISTIO_MUTUAL,
        /** As MUTUAL, a client without certificate is accepted too. */
        OPTIONAL_MUTUAL
    }

    /** Istio's ServerTLSSettings.TLSProtocol. */
    public enum ProtocolVersion { TLS_AUTO, TLSV1_0, TLSV1_1, TLSV1_2, TLSV1_3 }

    public ServerTls {
        subjectAltNames = List.copyOf(subjectAltNames);
        cipherSuites = List.copyOf(cipherSuites);
    }
}
