package dev.meshpilot.proxy.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/** A TLS line-echo server on 127.0.0.1:0 requiring client certificates, and a matching client. */
final class TlsPeers {

    private TlsPeers() {}

    /** What the server saw of one accepted connection: the client's SPIFFE ID, or why the handshake failed. */
    record Outcome(@Nullable SpiffeId peer, @Nullable Throwable failure) {}

    static final class Server implements AutoCloseable {
        private final SSLServerSocket socket;
        private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();

        Server(SSLContext context) throws IOException {
            socket = (SSLServerSocket) context.getServerSocketFactory()
                    .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            socket.setNeedClientAuth(true);
            Thread.ofVirtual().name("tls-accept").start(this::acceptLoop);
        }

        int port() {
            return socket.getLocalPort();
        }

        Outcome nextOutcome() throws InterruptedException {
            Outcome outcome = outcomes.poll(10, TimeUnit.SECONDS);
            if (outcome == null) {
                throw new AssertionError("no connection reached the server within 10 s");
            }
            return outcome;
        }

        private void acceptLoop() {
            while (!socket.isClosed()) {
                try {
                    SSLSocket accepted = (SSLSocket) socket.accept();
                    Thread.ofVirtual().start(() -> serve(accepted));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(SSLSocket accepted) {
            try (accepted) {
                accepted.setSoTimeout(10_000);
                accepted.startHandshake();
                outcomes.add(new Outcome(SpiffeTrustManager.peerIdentity(accepted.getSession()), null));
                BufferedReader in = reader(accepted);
                OutputStream out = accepted.getOutputStream();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    out.write(("echo:" + line + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException e) {
                outcomes.add(new Outcome(null, e));
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A client connection whose handshake completed (the server may still reject the client certificate). */
    static final class Client implements AutoCloseable {
        private final SSLSocket socket;
        private final BufferedReader in;

        Client(SSLContext context, int port) throws IOException {
            socket = (SSLSocket) context.getSocketFactory().createSocket();
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            in = reader(socket);
        }

        /** Sends a line and returns the server's answer ({@code null} when the server closed the connection). */
        @Nullable String exchange(String line) throws IOException {
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return in.readLine();
        }

        SpiffeId serverIdentity() throws IOException {
            return SpiffeTrustManager.peerIdentity(socket.getSession());
        }

        BigInteger serverSerial() throws IOException {
            return serverCertificate().getSerialNumber();
        }

        X509Certificate serverCertificate() throws IOException {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Connects and exchanges one line; returns the answer, or the exception of the handshake or exchange. */
    static Object tryExchange(SSLContext context, int port) {
        try (Client client = new Client(context, port)) {
            String answer = client.exchange("ping");
            return answer == null ? new IOException("closed by the server") : answer;
        } catch (IOException e) {
            return e;
        }
    }

    private static BufferedReader reader(Socket socket) {
        try {
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
