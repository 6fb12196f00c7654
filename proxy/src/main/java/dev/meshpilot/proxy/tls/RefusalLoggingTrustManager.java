package dev.meshpilot.proxy.tls;

import static java.util.Objects.requireNonNull;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side's trust manager with a WARN line for every refused client certificate (other CA, expired, not a
 * workload certificate…), naming the server identity, the client address and the reason; at most one line per
 * second. The handshake fails exactly as without it.
 */
final class RefusalLoggingTrustManager extends X509ExtendedTrustManager {

    private static final Logger LOG = LoggerFactory.getLogger(InboundListener.class);
    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final X509ExtendedTrustManager delegate;
    private final String server;
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);

    RefusalLoggingTrustManager(X509ExtendedTrustManager delegate, String server) {
        this.delegate = requireNonNull(delegate, "delegate");
        this.server = requireNonNull(server, "server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
            throws CertificateException {
        try {
            delegate.checkClientTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            refused(engine == null ? "?" : engine.getPeerHost() + ":" + engine.getPeerPort(), e);
            throw e;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
            throws CertificateException {
        try {
            delegate.checkClientTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            refused(socket == null ? "?" : String.valueOf(socket.getRemoteSocketAddress()), e);
            throw e;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkClientTrusted(chain, authType, (SSLEngine) null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
            throws CertificateException {
        delegate.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
            throws CertificateException {
        delegate.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }

    private void refused(String client, CertificateException e) {
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= INTERVAL_NANOS && lastLog.compareAndSet(last, now)) {
            LOG.warn("{}: refused the client certificate of {}: {}", server, client, e.getMessage());
        }
    }
}
