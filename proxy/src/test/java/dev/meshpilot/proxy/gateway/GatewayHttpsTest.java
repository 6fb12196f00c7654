package dev.meshpilot.proxy.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.proxy.fleet.ApplyReport;
import dev.meshpilot.proxy.fleet.EmbeddedFleet;
import dev.meshpilot.proxy.fleet.FleetOptions;
import dev.meshpilot.proxy.testing.GatewayClient;
import dev.meshpilot.proxy.testing.Tutorial;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import javax.net.ssl.SSLContext;
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
        backend = backend(backendPki);

        fleet = new EmbeddedFleet(FleetOptions.localhost().withCredentialsDirectory(credentials));
        fleet.start();
        relay = new ConnectRelay(fleet.gatewayHttpsPort());
        report = fleet.apply(Tutorial.compile("c1", List.of(
                new SourceFile("helloworld.yaml", Tutorial.read("helloworld.yaml")),
                new SourceFile("https-gateway.yaml", gatewayYaml(files, backend.getAddress().getPort())))));
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
    }

    @Test
    void aBadCredentialIsReportedAndOnlyItsServerDoesNotServe() {
        assertThat(report.messages()).filteredOn(m -> m.startsWith("Gateway ")).singleElement().asString()
                .contains(
                "Gateway default/https-gateway spec.servers[4]: tls.credentialName:", "broken-credential",
                "tls.key is not the key of CN=broken.test", "(server not started)");

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

    private static HttpsServer backend(TestPki pki) throws Exception {
        TestPki.Issued issued = pki.issue("secure.example.com");
        Path dir = Files.createTempDirectory("backend");
        pki.writeCredential(dir, issued);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        SSLContext context = new dev.meshpilot.proxy.gateway.tls.GatewayCredentials(null).load(new GatewayServer(
                "test/backend", "test", 0, 443, "HTTPS", List.of("secure.example.com"), new ServerTls("SIMPLE", false,
                dir.resolve("tls.crt").toString(), dir.resolve("tls.key").toString(), null, null)));
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", exchange -> {
            byte[] body = "backend over tls".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String gatewayYaml(Path files, int backendPort) {
        return """
                apiVersion: networking.istio.io/v1alpha3
                kind: Gateway
                metadata:
                  name: https-gateway
                spec:
                  selector:
                    istio: ingressgateway
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["hello.example.com"]
                    tls: {httpsRedirect: true}
                  - port: {number: 443, name: https-hello, protocol: HTTPS}
                    hosts: ["hello.example.com"]
                    tls: {mode: SIMPLE, credentialName: hello-credential}
                  - port: {number: 443, name: https-bonjour, protocol: HTTPS}
                    hosts: ["*.example.com"]
                    tls: {mode: SIMPLE, serverCertificate: %1$s/bonjour.crt, privateKey: %1$s/bonjour.key}
                  - port: {number: 443, name: https-mutual, protocol: HTTPS}
                    hosts: ["mutual.example.com"]
                    tls: {mode: MUTUAL, credentialName: mutual-credential}
                  - port: {number: 443, name: https-broken, protocol: HTTPS}
                    hosts: ["broken.test"]
                    tls: {mode: SIMPLE, credentialName: broken-credential}
                  - port: {number: 443, name: tls-secure, protocol: TLS}
                    hosts: ["secure.example.com"]
                    tls: {mode: PASSTHROUGH}
                  - port: {number: 80, name: http-plain, protocol: HTTP}
                    hosts: ["plain.example.com"]
                ---
                apiVersion: networking.istio.io/v1alpha3
                kind: VirtualService
                metadata:
                  name: hello-https
                spec:
                  hosts: ["hello.example.com", "bonjour.example.com", "mutual.example.com", "broken.test",
                          "plain.example.com"]
                  gateways: ["https-gateway"]
                  http:
                  - match:
                    - uri: {prefix: /hello}
                    route:
                    - destination: {host: hello.default.svc.cluster.local, port: {number: 8080}}
                ---
                apiVersion: networking.istio.io/v1alpha3
                kind: VirtualService
                metadata:
                  name: secure
                spec:
                  hosts: ["secure.example.com"]
                  gateways: ["https-gateway"]
                  tls:
                  - match:
                    - port: 443
                      sniHosts: ["secure.example.com"]
                    route:
                    - destination: {host: secure.example.com, port: {number: 443}}
                ---
                apiVersion: networking.istio.io/v1alpha3
                kind: ServiceEntry
                metadata:
                  name: secure
                spec:
                  hosts: ["secure.example.com"]
                  location: MESH_EXTERNAL
                  ports:
                  - {number: 443, name: tls, protocol: TLS}
                  resolution: STATIC
                  endpoints:
                  - address: 127.0.0.1
                    ports: {tls: %2$d}
                """.formatted(files, backendPort);
    }
}
