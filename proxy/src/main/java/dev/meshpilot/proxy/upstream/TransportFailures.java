package dev.meshpilot.proxy.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
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

    /**
     * Why a server closed a fresh TLS connection right after the handshake, before answering: with TLS 1.3 the client
     * finishes its handshake before the server has checked the client certificate, so a refusal shows up as an alert
     * (or a reset) on the first write or read. Reads the alert when it is still there (100 ms at most); otherwise
     * says what happened.
     */
    static IOException refusal(Socket socket, InputStream in, IOException failure) {
        try {
            socket.setSoTimeout(100);
            int b = in.read();
            return new SSLException("the server closed the connection right after the TLS handshake ("
                    + (b < 0 ? "end of stream" : "unexpected data") + " after " + failure + ")", failure);
        } catch (SSLException alert) {
            return alert;
        } catch (IOException other) {
            return new SSLException("the server closed the connection right after the TLS handshake (" + failure
                    + "), as a server does that refuses the client certificate or requires one", failure);
        }
    }
}
