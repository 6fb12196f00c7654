package dev.meshpilot.proxy.tls;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A local server standing in for an external HTTPS host (127.0.0.1, port 0): answers
 * {@code origin tls sni=<SNI or none> client=<client certificate subject or none>}, or {@code origin plaintext} for a
 * plain HTTP server. With {@code requireClientCertificate}, a client without a certificate of the context's trusted
 * CA is refused in the handshake.
 */
final class OriginServer implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private OriginServer(HttpServer server) {
        this.server = server;
        server.createContext("/", this::answer);
        server.start();
    }

    /** An HTTPS server with {@code context} (its key manager: the server certificate; its trust: client CAs). */
    static OriginServer https(SSLContext context, boolean requireClientCertificate) {
        try {
            HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            https.setHttpsConfigurator(new HttpsConfigurator(context) {
                @Override
                public void configure(HttpsParameters parameters) {
                    var ssl = context.getDefaultSSLParameters();
                    ssl.setNeedClientAuth(requireClientCertificate);
                    parameters.setSSLParameters(ssl);
                }
            });
            return new OriginServer(https);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static OriginServer plain() {
        try {
            return new OriginServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String body = exchange instanceof HttpsExchange https ? "origin tls sni=" + sni(https.getSSLSession())
                + " client=" + client(https.getSSLSession()) : "origin plaintext";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static String sni(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            List<SNIServerName> names = extended.getRequestedServerNames();
            for (SNIServerName name : names) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return "none";
    }

    private static String client(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return ((X509Certificate) chain[0]).getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException e) {
            return "none";
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Requests answered (a refused handshake or a plaintext request to the HTTPS server is not one). */
    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
