package dev.meshpilot.proxy.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Stands in for DNS that points every host at the gateway's HTTPS port: an HTTP proxy answering any
 * {@code CONNECT host:443} with a tunnel to {@code target}. A JDK HttpClient using it calls
 * {@code https://hello.example.com/} for real: SNI, Host and the certificate check all use that name.
 */
final class ConnectRelay implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;

    ConnectRelay(int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptLoop);
    }

    ProxySelector proxy() {
        return ProxySelector.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> tunnel(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void tunnel(Socket client) {
        try (client; Socket upstream = new Socket()) {
            client.setSoTimeout(20_000);
            readHead(client.getInputStream());
            upstream.connect(target, 5_000);
            client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            Thread back = Thread.ofVirtual().start(() -> copy(upstream, client));
            copy(client, upstream);
            back.join(20_000);
        } catch (IOException | InterruptedException e) {
            // the tunnel ends
        }
    }

    private static void readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the CONNECT head ended");
            }
            head.write(b);
        }
    }

    private static void copy(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
