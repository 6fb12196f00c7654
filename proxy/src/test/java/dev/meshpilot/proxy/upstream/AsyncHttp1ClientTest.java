package dev.meshpilot.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;

/** The non-blocking HTTP/1.1 client on an XNIO I/O thread against scripted in-process servers. */
class AsyncHttp1ClientTest {

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private final AsyncHttp1Client client = new AsyncHttp1Client();
    private final XnioWorker worker;
    private final XnioIoThread thread;

    @TempDir
    Path dir;

    AsyncHttp1ClientTest() throws IOException {
        worker = Xnio.getInstance().createWorker(OptionMap.create(Options.WORKER_IO_THREADS, 1));
        thread = worker.getIoThread(0);
    }

    @AfterEach
    void close() {
        client.close();
        worker.shutdownNow();
    }

    @Test
    void reusesOneKeepAliveConnectionForSequentialRequests() throws Exception {
        try (ScriptedServer server = new ScriptedServer(AsyncHttp1ClientTest::answerOkForever)) {
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
    void decodesAChunkedResponseArrivingInPiecesAndKeepsTheConnection() throws Exception {
        try (ScriptedServer server = new ScriptedServer((socket, s) -> {
            while (s.readRequest(socket.getInputStream()) != null) {
                ScriptedServer.write(socket, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Kind: chunks\r\n\r\n5\r\nhel");
                Thread.sleep(30);
                ScriptedServer.write(socket, "lo\r\n6;ext=1\r\n world\r\n0\r\nx-trailer: t\r\n\r\n");
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
    void readsABodyUntilThePeerClosesAndDoesNotPoolThatConnection() throws Exception {
        try (ScriptedServer server = new ScriptedServer((socket, s) -> {
            s.readRequest(socket.getInputStream());
            ScriptedServer.write(socket, "HTTP/1.1 200 OK\r\n\r\nuntil close");
        })) {
            assertThat(body(get(server.address(), "/", 2_000))).isEqualTo("until close");
            assertThat(client.idleConnections()).isZero();
        }
    }

    @Test
    void opensANewConnectionWhenThePeerClosedThePooledOne() throws Exception {
        try (ScriptedServer server = new ScriptedServer((socket, s) -> {
            if (s.readRequest(socket.getInputStream()) != null) {
                ScriptedServer.write(socket, OK); // advertises keep-alive, then closes: as an idle timeout would
            }
        })) {
            assertThat(body(get(server.address(), "/", 2_000))).isEqualTo("ok");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.closed.get() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }

            assertThat(body(get(server.address(), "/", 2_000))).isEqualTo("ok");
            assertThat(server.accepted).hasValue(2);
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
            Object outcome = send(server.address(), "/", 300);

            assertThat(outcome).isInstanceOfSatisfying(Http1Client.RequestException.class,
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
        assertThat(send(closed, "/", 2_000)).isInstanceOfSatisfying(Http1Client.RequestException.class,
                e -> assertThat(e.failure()).isEqualTo(Http1Client.Failure.CONNECT));
    }

    @Test
    void reportsAMalformedResponseAsAReset() throws Exception {
        try (ScriptedServer server = new ScriptedServer((socket, s) -> {
            s.readRequest(socket.getInputStream());
            ScriptedServer.write(socket, "SMTP ready\r\n\r\n");
        })) {
            assertThat(send(server.address(), "/", 2_000)).isInstanceOfSatisfying(
                    Http1Client.RequestException.class, e -> assertThat(e.failure()).isEqualTo(Http1Client.Failure.RESET));
        }
    }

    @Test
    void decodesALargeChunkedResponseArrivingInManyPieces() throws Exception {
        String chunk = "x".repeat(1000);
        try (ScriptedServer server = new ScriptedServer((socket, s) -> {
            s.readRequest(socket.getInputStream());
            ScriptedServer.write(socket, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 500; i++) {
                ScriptedServer.write(socket, "3e8\r\n" + chunk + "\r\n");
            }
            ScriptedServer.write(socket, "0\r\n\r\n");
            s.readRequest(socket.getInputStream());
        })) {
            assertThat(get(server.address(), "/", 5_000).body()).hasSize(500_000);
        }
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

            Object first = send(address, expected, hello.clientContext(expected), 5_000);
            Object second = send(address, expected, hello.clientContext(expected), 5_000);
            Object refused = send(address, other, hello.clientContext(other), 5_000);

            assertThat(first).isInstanceOfSatisfying(UpstreamResponse.class, r -> {
                assertThat(body(r)).isEqualTo("ok");
                assertThat(r.sslSession()).isPresent();
            });
            assertThat(second).isInstanceOfSatisfying(UpstreamResponse.class, r -> assertThat(body(r)).isEqualTo("ok"));
            assertThat(refused).isInstanceOfSatisfying(Http1Client.RequestException.class,
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

    /** The response, or the {@link Http1Client.RequestException}; sent from the I/O thread as the proxy does. */
    private Object send(InetSocketAddress address, String path, long timeoutMillis) throws Exception {
        return send(address, path, address, null, timeoutMillis);
    }

    /** Over mutual TLS, the pool keyed by the identities the server must prove. */
    private Object send(InetSocketAddress address, Set<SpiffeId> peers, SSLContext tls, long timeoutMillis)
            throws Exception {
        return send(address, "/", peers, tls, timeoutMillis);
    }

    private Object send(InetSocketAddress address, String path, Object poolKey, @Nullable SSLContext tls,
            long timeoutMillis) throws Exception {
        byte[] bytes = ("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        thread.execute(() -> client.send(thread, address, poolKey, tls, bytes, bytes.length, false, true, deadline,
                new AsyncHttp1Client.Callback() {
                    @Override
                    public void completed(UpstreamResponse response) {
                        outcome.complete(response);
                    }

                    @Override
                    public void failed(Http1Client.RequestException e) {
                        outcome.complete(e);
                    }
                }));
        return outcome.get(10, TimeUnit.SECONDS);
    }

    private UpstreamResponse get(InetSocketAddress address, String path, long timeoutMillis) throws Exception {
        Object outcome = send(address, path, timeoutMillis);
        assertThat(outcome).isInstanceOf(UpstreamResponse.class);
        return (UpstreamResponse) outcome;
    }

    private static String body(UpstreamResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
