package dev.meshpilot.proxy.tls;

import static dev.meshpilot.proxy.tls.TlsOriginationFixture.HOST;
import static dev.meshpilot.proxy.tls.TlsOriginationFixture.destinationRule;
import static dev.meshpilot.proxy.tls.TlsOriginationFixture.egressPattern;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.proxy.gateway.TestPki;
import dev.meshpilot.proxy.testing.CapturedLog;
import dev.meshpilot.proxy.testing.Eventually;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * DestinationRule {@code tls.mode: SIMPLE} at a sidecar, against a real local HTTPS server standing in for
 * {@value TlsOriginationFixture#HOST}: Istio's egress TLS origination task, the certificate checks and their refusals.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsOriginationTest {

    @TempDir
    static Path dir;
    private TlsOriginationFixture f;

    @BeforeAll
    void start() {
        f = new TlsOriginationFixture(dir);
    }

    @AfterAll
    void stop() {
        f.close();
    }

    private String simple(String more) {
        return "{mode: SIMPLE, caCertificates: " + f.caFile() + more + "}";
    }

    @Test
    void theEgressTaskOriginatesTlsForAnAppSpeakingHttpToPort80() {
        try (OriginServer server = f.https(f.pki, HOST, false)) {
            f.apply(egressPattern(simple("")));

            HttpResponse<String> response = f.callClient();

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("client origin tls sni=" + HOST + " client=none");
            assertThat(server.requests()).isEqualTo(1);
            Eventually.within(Duration.ofSeconds(5), () -> assertThat(f.fleet.logs("default", "client"))
                    .anySatisfy(line -> assertThat(line).contains("\"reporter\":\"source\"", "\"response_code\":200",
                            "\"authority\":\"" + HOST + "\"", "\"upstream_cluster\":\"outbound|443||" + HOST + "\"")));
        }
    }

    @Test
    void anAppSpeakingHttpToPort443GetsTlsFromTheSidecar() {
        try (OriginServer server = f.https(f.pki, HOST, false)) {
            f.apply(TlsOriginationFixture.client(HOST + ":443") + """
                    apiVersion: networking.istio.io/v1
                    kind: ServiceEntry
                    metadata: {name: external}
                    spec:
                      hosts: [external.example]
                      ports:
                      - {number: 443, name: http-port-for-tls-origination, protocol: HTTP}
                      resolution: DNS
                    ---
                    """ + destinationRule(443, simple("")));

            HttpResponse<String> response = f.callClient();

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("client origin tls sni=" + HOST + " client=none");
        }
    }

    @Test
    void anUntrustedServerCertificateIs503WithTheReasonLoggedAndNothingSent() {
        TestPki stranger = new TestPki("someone else's CA");
        try (OriginServer server = f.https(stranger, HOST, false); CapturedLog log = CapturedLog.start()) {
            f.apply(egressPattern(simple("")));

            HttpResponse<String> response = f.callClient();

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("transport failure reason: TLS error: certificate not trusted: CN="
                    + HOST + " (issued by CN=someone else's CA) does not verify against caCertificates " + f.caFile());
            assertThat(server.requests()).isZero();
            assertThat(log.text()).contains("client.default " + HOST + ": 503 TLS origination to 127.0.0.1:",
                    "(" + HOST + ") failed: certificate not trusted");
            Eventually.within(Duration.ofSeconds(5), () -> assertThat(f.fleet.logs("default", "client"))
                    .anySatisfy(line -> assertThat(line).contains("\"response_code\":503", "\"response_flags\":\"UF",
                            "\"upstream_transport_failure_reason\":\"certificate not trusted: ")));
        }
    }

    @Test
    void withoutCaCertificatesTheJvmsDefaultTrustStoreDecides() {
        try (OriginServer server = f.https(f.pki, HOST, false)) {
            f.apply(egressPattern("{mode: SIMPLE}"));

            HttpResponse<String> response = f.callClient();

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("certificate not trusted", "the JVM's default trust store");
            assertThat(server.requests()).isZero();
        }
    }

    @Test
    void aCertificateForAnotherHostIsRefusedAsAHostnameMismatch() {
        try (OriginServer server = f.https(f.pki, "api.partner.example", false)) {
            f.apply(egressPattern(simple("")));

            HttpResponse<String> response = f.callClient();

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("hostname mismatch: the certificate of CN=api.partner.example is for "
                    + "[api.partner.example], not " + HOST);
            assertThat(server.requests()).isZero();
        }
    }

    @Test
    void subjectAltNamesAcceptTheNamesTheyListAndOnlyThose() {
        try (OriginServer server = f.https(f.pki, "api.partner.example", false)) {
            f.apply(egressPattern(simple(", subjectAltNames: [other.example, api.partner.example]")));
            HttpResponse<String> accepted = f.callClient();
            f.apply(egressPattern(simple(", subjectAltNames: [" + HOST + "]")));
            HttpResponse<String> refused = f.callClient();

            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
            assertThat(accepted.body()).isEqualTo("client origin tls sni=" + HOST + " client=none");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("subjectAltNames mismatch: the certificate of CN=api.partner.example "
                    + "names [api.partner.example], none of [" + HOST + "]");
        }
    }

    @Test
    void sniIsSentAndVerifiedAndANewSettingMakesNewConnections() {
        try (OriginServer server = f.https(f.pki, "api.partner.example", false)) {
            f.apply(egressPattern(simple(", sni: api.partner.example")));
            HttpResponse<String> first = f.callClient();
            HttpResponse<String> pooled = f.callClient();
            f.apply(egressPattern(simple(", sni: api.partner.example, subjectAltNames: [" + HOST + "]")));
            HttpResponse<String> changed = f.callClient();

            assertThat(first.body()).isEqualTo("client origin tls sni=api.partner.example client=none");
            assertThat(pooled.body()).isEqualTo(first.body());
            assertThat(changed.statusCode()).as("the pooled connection is not used for the new settings")
                    .isEqualTo(503);
        }
    }

    @Test
    void insecureSkipVerifyAcceptsAnyCertificate() {
        TestPki stranger = new TestPki("someone else's CA");
        try (OriginServer server = f.https(stranger, "elsewhere.example", false)) {
            f.apply(egressPattern(simple(", insecureSkipVerify: true")));

            HttpResponse<String> response = f.callClient();

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("client origin tls sni=" + HOST + " client=none");
        }
    }

    @Test
    void disableStaysPlaintext() {
        try (OriginServer server = f.serve(OriginServer.plain())) {
            f.apply(egressPattern("{mode: DISABLE}"));

            HttpResponse<String> response = f.callClient();

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("client origin plaintext");
        }
    }

    @Test
    void aCaFileThatCannotBeReadIs503AndNeverPlaintext() {
        try (OriginServer server = f.serve(OriginServer.plain())) {
            f.apply(egressPattern("{mode: SIMPLE, caCertificates: " + dir.resolve("missing.pem") + "}"));

            HttpResponse<String> response = f.callClient();

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("tls origination to " + HOST + ": tls.caCertificates: "
                    + dir.resolve("missing.pem") + ": no such file");
            assertThat(server.requests()).isZero();
        }
    }

    @Test
    void theIngressGatewayOriginatesToo() {
        try (OriginServer server = f.https(f.pki, HOST, false);
                var gateway = new dev.meshpilot.proxy.testing.GatewayClient(f.fleet.gatewayPort())) {
            f.apply(destinationRule(443, simple("")) + """
                    apiVersion: networking.istio.io/v1
                    kind: ServiceEntry
                    metadata: {name: external}
                    spec:
                      hosts: [external.example]
                      ports:
                      - {number: 443, name: https, protocol: HTTPS}
                      resolution: DNS
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: Gateway
                    metadata: {name: egress-test}
                    spec:
                      selector: {istio: ingressgateway}
                      servers:
                      - port: {number: 80, name: http, protocol: HTTP}
                        hosts: [external.example]
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: {name: through-gateway}
                    spec:
                      hosts: [external.example]
                      gateways: [egress-test]
                      http:
                      - route:
                        - destination: {host: external.example, port: {number: 443}}
                    """);

            HttpResponse<String> response = gateway.get(HOST, "/");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("origin tls sni=" + HOST + " client=none");
            assertThat(List.of(server.requests())).containsExactly(1);
        }
    }
}
