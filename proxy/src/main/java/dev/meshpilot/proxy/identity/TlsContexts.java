package dev.meshpilot.proxy.identity;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/** TLS 1.3 contexts of the mesh (the caller sets need-client-auth on server sockets and engines). */
final class TlsContexts {

    static final String PROTOCOL = "TLSv1.3";

    /**
     * Lifetime of resumable sessions (seconds). A resumed session keeps the identity of its first handshake, so it
     * is bounded well below the workload certificate lifetime (the JDK default is 24 h).
     */
    static final int SESSION_TIMEOUT_SECONDS = 300;

    private TlsContexts() {}

    static SSLContext create(X509ExtendedKeyManager keyManager, X509ExtendedTrustManager trustManager) {
        try {
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(new KeyManager[] {keyManager}, new TrustManager[] {trustManager}, new SecureRandom());
            context.getServerSessionContext().setSessionTimeout(SESSION_TIMEOUT_SECONDS);
            context.getClientSessionContext().setSessionTimeout(SESSION_TIMEOUT_SECONDS);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a " + PROTOCOL + " context", e);
        }
    }
}
