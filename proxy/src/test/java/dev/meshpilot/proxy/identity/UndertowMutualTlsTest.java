package dev.meshpilot.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnio.Options;
import org.xnio.SslClientAuthMode;

/**
 * The SSLEngine path the sidecars will use: an Undertow HTTPS listener requiring client certificates, called by
 * java.net.http (which asks for hostname verification; SPIFFE certificates carry no DNS name, and the SPIFFE trust
 * manager checks the identity instead).
 */
class UndertowMutualTlsTest {

    private static final SpiffeId HELLO = SpiffeId.of("default", "hello");
    private static final SpiffeId WORLD = SpiffeId.of("default", "world");

    @TempDir
    Path dir;

    private WorkloadCertificateAuthority ca;
    private CertificateRotator world;
    private Undertow server;

    @BeforeEach
    void startWorld() {
        ca = WorkloadCertificateAuthority.openOrCreate(dir.resolve("ca"), CaSettings.defaults());
        world = CertificateRotator.start(ca, WORLD);
        server = Undertow.builder().setIoThreads(1).setWorkerThreads(1)
                .addHttpsListener(0, "127.0.0.1", world.sslContext(ca.trustBundle(), PeerIdentityVerifier.anyOf(HELLO)))
                .setSocketOption(Options.SSL_CLIENT_AUTH_MODE, SslClientAuthMode.REQUIRED)
                .setHandler(exchange -> {
                    Certificate[] peer = exchange.getConnection().getSslSessionInfo().getPeerCertificates();
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                    exchange.getResponseSender().send("peer=" + SpiffeId.fromCertificate((X509Certificate) peer[0])
                            .map(SpiffeId::toString).orElse("none"));
                })
                .build();
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
        world.close();
    }

    @Test
    void undertowListenerSeesTheClientSpiffeIdOverMutualTls() throws Exception {
        SSLContext hello = ca.issue(HELLO).sslContext(ca.trustBundle(), PeerIdentityVerifier.anyOf(WORLD));

        HttpResponse<String> response = get(hello);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("peer=" + HELLO);
        assertThat(response.sslSession().orElseThrow().getPeerCertificates()[0])
                .isEqualTo(world.current().leaf());
    }

    @Test
    void undertowListenerRejectsClientOfWrongIdentity() {
        SSLContext stranger = ca.issue(SpiffeId.of("default", "stranger"))
                .sslContext(ca.trustBundle(), PeerIdentityVerifier.anyOf(WORLD));

        assertThatThrownBy(() -> get(stranger)).isInstanceOf(IOException.class);
    }

    private HttpResponse<String> get(SSLContext context) throws IOException, InterruptedException {
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        try (HttpClient client = HttpClient.newBuilder().sslContext(context)
                .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
