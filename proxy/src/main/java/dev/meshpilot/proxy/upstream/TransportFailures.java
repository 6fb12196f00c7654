package dev.meshpilot.proxy.upstream;

import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/** Why TLS failed, from the exception a connection threw (Envoy's {@code upstream_transport_failure_reason}). */
final class TransportFailures {

    private TransportFailures() {}

    /**
     * The message of the innermost certificate check that refused the server (the trust manager's own words), else
     * the TLS layer's message ({@code Received fatal alert: certificate_required}); null when no TLS error is in
     * the chain of causes.
     */
    static @Nullable String reason(Throwable e) {
        SSLException tls = null;
        CertificateException certificate = null;
        int depth = 0;
        for (Throwable t = e; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof SSLException s && tls == null) {
                tls = s;
            }
            if (t instanceof CertificateException c && certificate == null) {
                certificate = c;
            }
        }
        if (tls == null) {
            return null;
        }
        if (certificate != null && certificate.getMessage() != null) {
            return certificate.getMessage();
        }
        return tls.getMessage() != null ? tls.getMessage() : tls.toString();
    }
}
