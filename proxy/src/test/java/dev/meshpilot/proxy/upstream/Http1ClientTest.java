package dev.meshpilot.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpilot.proxy.identity.CaSettings;
import dev.meshpilot.proxy.identity.SpiffeId;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import dev.meshpilot.proxy.tls.ProxyIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proxy's HTTP/1.1 client against scripted in-process servers. */
class Http1ClientTest {

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private final Http1Client client = new Http1Client();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void reusesOneKeepAliveConnectionForSequentialRequests() throws Exception {
        try (ScriptedServer server = new ScriptedServer(Http1ClientTest::answerOkForever)) {
            for (int i = 0; i < 3; i++) {
                assertThat(body(get(server.address(), "/" + i, 2_000))).isEqualTo("ok");
            }
            assertThat(server.accepted).hasValue(1);
            assertThat(server.requests).hasSize(3);
            assertThat(server.requests.get(2)).startsWith("GET /2 HTTP/1.1\r\n");
            assertThat(client.idleConnections()).isEqualTo(1);
        }
    }

    @Test
    void decodesAChunkedResponseAndKeepsTheConnection() throws Exception {
        try (ScriptedServer server = new ScriptedServer((socket, s) -> {
            while (s.readRequest(socket.getInputStream()) != null) {
                ScriptedServer.write(socket, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Kind: chunks\r\n\r\n"
                        + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nx-trailer: t\r\n\r\n");
            }
        })) {
            UpstreamResponse first = get(server.address(), "/", 2_000);
            UpstreamResponse second = get(server.address(), "/", 2_000);

            assertThat(body(first)).isEqualTo("hello world");
            assertThat(first.header("x-kind")).isEqualTo("chunks");
            assertThat(body(second)).isEqualTo("hello world");
            assertThat(server.accepted).hasValue(1);
        }
    }

    @Test
    void sendsAnIdempotentRequestAgainWhenThePeerClosedThePooledConnection() throws Exception {
        try (ScriptedServer server = new ScriptedServer(Http1ClientTest::answerOnceThenClose)) {
            assertThat(body(get(server.address(), "/", 2_000))).isEqualTo("ok");
            awaitClosed(server, 1);

            assertThat(body(get(server.address(), "/", 2_000))).isEqualTo("ok");
            assertThat(server.accepted).hasValue(2);
        }
    }

    @Test
    void doesNotSendAPostAgainWhenThePeerClosedThePooledConnection() throws Exception {
        try (ScriptedServer server = new ScriptedServer(Http1ClientTest::answerOnceThenClose)) {
            assertThat(body(get(server.address(), "/", 2_000))).isEqualTo("ok");
            awaitClosed(server, 1);
            byte[] post = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx".getBytes(StandardCharsets.ISO_8859_1);

            assertThatThrownBy(() -> client.send(server.address(), server.address(), null, post, post.length, false,
                    false, deadline(2_000)))
                    .isInstanceOfSatisfying(Http1Client.RequestException.class,
                            e -> assertThat(e.failure()).isEqualTo(Http1Client.Failure.RESET));
            assertThat(server.accepted).hasValue(1);
        }
    }

    @Test
    void timesOutAtTheDeadlineWhenTheUpstreamDoesNotAnswer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ScriptedServer server = new ScriptedServer((socket, s) -> {
            s.readRequest(socket.getInputStream());
            release.await(10, TimeUnit.SECONDS);
        })) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> get(server.address(), "/", 300))
                    .isInstanceOfSatisfying(Http1Client.RequestException.class,
                            e -> assertThat(e.failure()).isEqualTo(Http1Client.Failure.TIMEOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250),
                    Duration.ofSeconds(2));
            assertThat(client.idleConnections()).isZero();
        } finally {
            release.countDown();
        }
    }

    @Test
    void reportsARefusedConnectionAsAConnectFailure() throws Exception {
        InetSocketAddress closed;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = new InetSocketAddress("127.0.0.1", socket.getLocalPort());
        }
        assertThatThrownBy(() -> get(closed, "/", 2_000))
                .isInstanceOfSatisfying(Http1Client.RequestException.class,
                        e -> assertThat(e.failure()).isEqualTo(Http1Client.Failure.CONNECT));
    }

    @Test
    void mutualTlsAcceptsOnlyTheExpectedServerIdentity() throws Exception {
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.openOrCreate(dir.resolve("ca"),
                CaSettings.defaults());
        SpiffeId world = SpiffeId.of("ns2", "world");
        try (ProxyIdentity server = ProxyIdentity.issue(ca, world, Duration.ofHours(1));
                ProxyIdentity hello = ProxyIdentity.issue(ca, SpiffeId.of("ns1", "hello"), Duration.ofHours(1));
                SSLServerSocket listener = (SSLServerSocket) server.serverContext().getServerSocketFactory()
                        .createServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            Thread.ofVirtual().start(() -> serveTls(listener));
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", listener.getLocalPort());
            Set<SpiffeId> expected = Set.of(world);
            Set<SpiffeId> other = Set.of(SpiffeId.of("ns2", "impostor"));
            byte[] get = request("/");

            UpstreamResponse response = client.send(address, expected, hello.clientContext(expected), get, get.length,
                    false, true, deadline(5_000));
            assertThat(body(response)).isEqualTo("ok");
            assertThat(response.sslSession()).isPresent();
            assertThatThrownBy(() -> client.send(address, other, hello.clientContext(other), get, get.length, false,
                    true, deadline(5_000)))
                    .isInstanceOfSatisfying(Http1Client.RequestException.class,
                            e -> assertThat(e.failure()).isEqualTo(Http1Client.Failure.RESET));
        }
    }

    private static void serveTls(SSLServerSocket listener) {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                Thread.ofVirtual().start(() -> {
                    try (socket) {
                        while (ScriptedServer.readHead(socket.getInputStream()) != null) {
                            ScriptedServer.write(socket, OK);
                        }
                    } catch (IOException e) {
                        // refused handshake or client gone
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void answerOkForever(Socket socket, ScriptedServer server) throws IOException {
        InputStream in = socket.getInputStream();
        while (server.readRequest(in) != null) {
            ScriptedServer.write(socket, OK);
        }
    }

    private static void answerOnceThenClose(Socket socket, ScriptedServer server) throws IOException {
        if (server.readRequest(socket.getInputStream()) != null) {
            ScriptedServer.write(socket, OK); // advertises keep-alive, then closes: as an idle timeout would
        }
    }

    private static void awaitClosed(ScriptedServer server, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.closed.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(server.closed).hasValueGreaterThanOrEqualTo(count);
        Thread.sleep(20); // the FIN reaches the client's socket
    }

    private UpstreamResponse get(InetSocketAddress address, String path, long timeoutMillis) throws Exception {
        byte[] bytes = request(path);
        return client.send(address, address, null, bytes, bytes.length, false, true, deadline(timeoutMillis));
    }

    private static byte[] request(String path) {
        RequestHead head = new RequestHead("GET", path).header("Host", "upstream");
        byte[] bytes = head.finish(new byte[0]);
        return java.util.Arrays.copyOf(bytes, head.length());
    }

    private static long deadline(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static String body(UpstreamResponse response) {
        assertThat(response.statusCode()).isEqualTo(200);
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
