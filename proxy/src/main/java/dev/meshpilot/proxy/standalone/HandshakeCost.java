package dev.meshpilot.proxy.standalone;

import dev.meshpilot.policy.security.MtlsMode;
import dev.meshpilot.proxy.identity.CaSettings;
import dev.meshpilot.proxy.identity.PeerIdentityVerifier;
import dev.meshpilot.proxy.identity.SpiffeId;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import dev.meshpilot.proxy.internal.Servers;
import dev.meshpilot.proxy.tls.InboundListener;
import dev.meshpilot.proxy.tls.ProxyIdentity;
import io.undertow.Undertow;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * What a new connection to a sidecar's inbound listener costs: one request on a fresh plaintext connection (also to
 * a plain Undertow listener, without the first-byte sniffing, for comparison), on a
 * fresh mutual TLS connection with a full handshake (sessions invalidated), with a resumed TLS 1.3 session, and
 * one request on an established mTLS connection. Prints one JSON line of medians and 90th percentiles (µs).
 *
 * <pre>java -cp ... dev.meshpilot.proxy.standalone.HandshakeCost [iterations, default 1000]</pre>
 */
public final class HandshakeCost {

    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: upstream\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "GET / HTTP/1.1\r\nHost: upstream\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final SpiffeId SERVER = SpiffeId.of("bench", "upstream");

    private HandshakeCost() {}

    @FunctionalInterface
    private interface Connection {
        void run() throws IOException;
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path dir = Files.createTempDirectory("meshpilot-handshake");
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.openOrCreate(dir.resolve("ca"),
                CaSettings.defaults());
        XnioWorker worker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, 1).set(Options.WORKER_TASK_CORE_THREADS, 1)
                .set(Options.WORKER_TASK_MAX_THREADS, 1).getMap());
        try (ProxyIdentity server = ProxyIdentity.issue(ca, SERVER, Duration.ofHours(1));
                ProxyIdentity client = ProxyIdentity.issue(ca, SpiffeId.of("bench", "client"), Duration.ofHours(1))) {
            InboundListener listener = InboundListener.start(worker, "127.0.0.1", 0,
                    exchange -> exchange.getResponseSender().send("ok"), server, () -> MtlsMode.PERMISSIVE, "bench");
            InetSocketAddress address = listener.address();
            Undertow direct = Servers.start("127.0.0.1", List.of(new Servers.Listener(0,
                    exchange -> exchange.getResponseSender().send("ok"))));
            InetSocketAddress plainListener = Servers.address(direct, 0);
            double[] unsniffed = measure(iterations, () -> exchange(plain(plainListener)));
            direct.stop();
            SSLContext resumed = client.clientContext(java.util.Set.of(SERVER));
            double[] plain = measure(iterations, () -> exchange(plain(address)));
            SSLContext noResumption = fresh(client);
            double[] full = measure(iterations, () -> {
                SSLSocket socket = tls(noResumption, address);
                socket.getSession().invalidate(); // an invalidated session is never resumed: every handshake is full
                exchange(socket);
            });
            double[] resumption = measure(iterations, () -> exchange(tls(resumed, address)));
            double[] established;
            try (SSLSocket socket = tls(resumed, address)) {
                established = measure(iterations, () -> keepAlive(socket));
            }
            System.out.println(String.format(Locale.ROOT, "{\"iterations\": %d, "
                    + "\"plaintext_connection_plain_listener_us\": %s, \"plaintext_connection_us\": %s, "
                    + "\"mtls_full_handshake_connection_us\": %s, \"mtls_resumed_connection_us\": %s, "
                    + "\"mtls_established_request_us\": %s}", iterations, json(unsniffed), json(plain), json(full),
                    json(resumption), json(established)));
            listener.close();
        } finally {
            worker.shutdownNow();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A client context of its own (its session cache is not shared with the resuming one). */
    private static SSLContext fresh(ProxyIdentity client) {
        return client.rotator().sslContext(client.trustBundle(), PeerIdentityVerifier.anyOf(SERVER));
    }

    private static SSLSocket tls(SSLContext context, InetSocketAddress address) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain(address), "upstream",
                address.getPort(), true);
        socket.startHandshake();
        return socket;
    }

    /** A connected socket without Nagle's algorithm, as proxies (and the JDK HTTP client) use them. */
    private static Socket plain(InetSocketAddress address) throws IOException {
        Socket socket = new Socket(address.getAddress(), address.getPort());
        socket.setTcpNoDelay(true);
        return socket;
    }

    private static void exchange(Socket socket) throws IOException {
        try (socket) {
            socket.getOutputStream().write(REQUEST);
            socket.getOutputStream().flush();
            socket.getInputStream().readAllBytes();
        }
    }

    private static void keepAlive(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(KEEP_ALIVE);
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[512];
        String seen = "";
        while (!seen.endsWith("ok")) { // the response ends with its 2-byte body
            int n = in.read(buffer);
            if (n < 0) {
                throw new IOException("connection closed");
            }
            seen = new String(buffer, 0, n, StandardCharsets.US_ASCII);
        }
    }

    /** Runs {@code connection} iterations/5 times to warm up, then iterations times; sorted durations in µs. */
    private static double[] measure(int iterations, Connection connection) throws IOException {
        for (int i = 0; i < Math.max(50, iterations / 5); i++) {
            connection.run();
        }
        double[] micros = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            connection.run();
            micros[i] = (System.nanoTime() - start) / 1000.0;
        }
        Arrays.sort(micros);
        return micros;
    }

    private static String json(double[] sorted) {
        return String.format(Locale.ROOT, "{\"p50\": %.0f, \"p90\": %.0f}", sorted[sorted.length / 2],
                sorted[(int) (sorted.length * 0.9)]);
    }
}
