package dev.meshpilot.proxy.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsServer;
import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.proxy.fleet.ApplyReport;
import dev.meshpilot.proxy.fleet.EmbeddedFleet;
import dev.meshpilot.proxy.fleet.FleetOptions;
import dev.meshpilot.proxy.identity.PeerIdentityVerifier;
import dev.meshpilot.proxy.identity.SpiffeId;
import dev.meshpilot.proxy.identity.WorkloadCertificate;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import dev.meshpilot.proxy.testing.CapturedLog;
import dev.meshpilot.proxy.testing.Eventually;
import dev.meshpilot.proxy.testing.GatewayClient;
import dev.meshpilot.proxy.testing.Tutorial;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's HTTPS port with real TLS clients: SIMPLE, SNI, MUTUAL, PASSTHROUGH, a bad credential, redirect. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayHttpsTest {

    private final TestPki pki = new TestPki("Test Gateway CA");
    private final TestPki backendPki = new TestPki("Test Backend CA");
    private EmbeddedFleet fleet;
    private ConnectRelay relay;
    private HttpsServer backend;
    private ApplyReport report;
    private String applyLog = "";

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        Path credentials = data.resolve("credentials");
        pki.writeCredential(credentials.resolve("istio-system/hello-credential"), pki.issue("hello.example.com"));
        pki.writeCredential(credentials.resolve("default/mutual-credential"), pki.issue("mutual.example.com"));
        Path broken = pki.writeCredential(credentials.resolve("istio-system/broken-credential"),
                pki.issue("broken.test"));
        Files.writeString(broken.resolve("tls.key"), TestPki.pem(pki.issue("other.example.com").keys().getPrivate()));
        Path files = Files.createDirectories(data.resolve("files"));
        TestPki.Issued bonjour = pki.issue("bonjour.example.com");
        Files.writeString(files.resolve("bonjour.crt"), TestPki.pem(bonjour.certificate()));
        Files.writeString(files.resolve("bonjour.key"), TestPki.pem(bonjour.keys().getPrivate()));
        backend = HttpsGatewayFixtures.backend(backendPki);

        fleet = new EmbeddedFleet(FleetOptions.localhost().withCredentialsDirectory(credentials));
        fleet.start();
        relay = new ConnectRelay(fleet.gatewayHttpsPort());
        try (CapturedLog log = CapturedLog.start()) {
            report = fleet.apply(Tutorial.compile("c1", List.of(
                    new SourceFile("helloworld.yaml", Tutorial.read("helloworld.yaml")),
                    new SourceFile("https-gateway.yaml",
                            HttpsGatewayFixtures.gatewayYaml(files, backend.getAddress().getPort())))));
            applyLog = log.text();
        }
    }

    @AfterAll
    void stop() throws IOException {
        if (fleet != null) {
            fleet.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (backend != null) {
            backend.stop(0);
        }
    }

    @Test
    void aSimpleServerAnswersOverTlsWithItsCredentialsCertificate() {
        HttpResponse<String> response = get(pki.clientContext(), "https://hello.example.com/hello");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello world !!!");
        assertThat(serverCertificate(response).getSubjectX500Principal().getName()).isEqualTo("CN=hello.example.com");
    }

    @Test
    void sniPicksTheCertificateOfTheServerForThatHost() {
        HttpResponse<String> response = get(pki.clientContext(), "https://bonjour.example.com/hello");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(serverCertificate(response).getSubjectX500Principal().getName())
                .isEqualTo("CN=bonjour.example.com");
    }

    @Test
    void aMutualServerRefusesAClientWithoutCertificateAndServesOneWithACertificateOfItsCa() {
        assertThatThrownBy(() -> get(pki.clientContext(), "https://mutual.example.com/hello"))
                .hasRootCauseInstanceOf(IOException.class);

        HttpResponse<String> response = get(pki.clientContext(pki.issue("client.example.com")),
                "https://mutual.example.com/hello");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello world !!!");
    }

    @Test
    void aMutualServerRefusesAClientCertificateOfAnotherCa() {
        assertThatThrownBy(() -> get(pki.clientContext(backendPki.issue("client.example.com")),
                "https://mutual.example.com/hello")).hasRootCauseInstanceOf(IOException.class);
    }

    @Test
    void passthroughReachesTheBackendThatTerminatesTlsItself() {
        HttpResponse<String> response = get(backendPki.clientContext(), "https://secure.example.com/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("backend over tls");
        assertThat(serverCertificate(response).getIssuerX500Principal().getName()).isEqualTo("CN=Test Backend CA");
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(fleet.gatewayLogs(100)).anySatisfy(line ->
                assertThat(line).contains("\"method\":\"TLS\"", "\"authority\":\"secure.example.com\"",
                        "\"upstream_host\":\"127.0.0.1:" + backend.getAddress().getPort() + "\"",
                        "\"upstream_cluster\":\"outbound|443||secure.example.com\"")));
    }

    @Test
    void aBadCredentialIsReportedAndOnlyItsServerDoesNotServe() {
        assertThat(report.messages()).filteredOn(m -> m.startsWith("Gateway ")).singleElement().asString()
                .contains(
                "Gateway default/https-gateway spec.servers[4]: tls.credentialName:", "broken-credential",
                "tls.key is not the key of CN=broken.test", "(server not started)");
        assertThat(applyLog).contains("WARN dev.meshpilot.proxy.gateway.tls.TlsServers - istio-ingressgateway: "
                + "server not started: Gateway default/https-gateway spec.servers[4]: tls.credentialName:")
                .doesNotContain("PRIVATE KEY");

        assertThatThrownBy(() -> get(pki.clientContext(), "https://broken.test/hello"))
                .hasRootCauseInstanceOf(IOException.class);
        assertThat(get(pki.clientContext(), "https://hello.example.com/hello").statusCode()).isEqualTo(200);
    }

    @Test
    void anHttpServerWithHttpsRedirectAnswers301ToHttps() {
        HttpResponse<String> redirect;
        try (GatewayClient http = new GatewayClient(fleet.gatewayPort())) {
            redirect = http.get("hello.example.com", "/hello?lang=fr");
        }

        assertThat(redirect.statusCode()).isEqualTo(301);
        String location = redirect.headers().firstValue("location").orElseThrow();
        assertThat(location).isEqualTo("https://hello.example.com/hello?lang=fr");
        assertThat(get(pki.clientContext(), location).body()).isEqualTo("hello world !!!");
    }

    @Test
    void anHttpServerWithoutRedirectStillRoutesPlainHttp() {
        try (GatewayClient http = new GatewayClient(fleet.gatewayPort())) {
            HttpResponse<String> response = http.get("plain.example.com", "/hello");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello world !!!");
        }
    }

    @Test
    void anIstioMutualServerPresentsTheGatewayIdentityAndRequiresAMeshCertificate() throws Exception {
        WorkloadCertificateAuthority ca = fleet.certificateAuthority();
        WorkloadCertificate sleep = ca.issue("default", "sleep");

        String answer = rawGet(sleep.sslContext(ca.trustBundle(), PeerIdentityVerifier.anyIdentity()),
                "mesh.example.com", "/hello");

        assertThat(answer).startsWith("HTTP/1.1 200").endsWith("hello world !!!")
                .contains("peer spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account");
        SSLContext noCertificate = SSLContext.getInstance("TLS");
        noCertificate.init(null, new TrustManager[] {ca.trustBundle().trustManager()}, null);
        assertThat(rawGet(noCertificate, "mesh.example.com", "/hello")).doesNotContain("hello world");
    }

    /** GET over TLS with SNI {@code host} straight to the HTTPS port; the answer, or why it failed. */
    private String rawGet(SSLContext tls, String host, String path) {
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1",
                fleet.gatewayHttpsPort())) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(host)));
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            String peer = SpiffeId.fromCertificate((X509Certificate) socket.getSession().getPeerCertificates()[0])
                    .map(Object::toString).orElse("-");
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return response.replaceFirst("\r\n", " (peer " + peer + ")\r\n");
        } catch (IOException e) {
            return "refused: " + e;
        }
    }

    private HttpResponse<String> get(SSLContext tls, String url) {
        HttpClient client = HttpClient.newBuilder().sslContext(tls).proxy(relay.proxy())
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        try (client) {
            return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate serverCertificate(HttpResponse<String> response) {
        try {
            return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            throw new AssertionError(e);
        }
    }
}
