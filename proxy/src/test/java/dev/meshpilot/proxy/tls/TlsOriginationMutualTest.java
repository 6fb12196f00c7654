package dev.meshpilot.proxy.tls;

import static dev.meshpilot.proxy.tls.TlsOriginationFixture.HOST;
import static dev.meshpilot.proxy.tls.TlsOriginationFixture.egressPattern;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.proxy.gateway.TestPki;
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
 * DestinationRule {@code tls.mode: MUTUAL} at a sidecar against a local HTTPS server that requires a client
 * certificate of the test CA: the certificate from files or from a {@code credentialName}, and the refusals.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsOriginationMutualTest {

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

    @Test
    void mutualPresentsTheClientCertificateOfItsFiles() {
        List<Path> client = f.clientFiles("client.example");
        try (OriginServer server = f.https(f.pki, HOST, true)) {
            f.apply(egressPattern("{mode: MUTUAL, clientCertificate: " + client.get(0) + ", privateKey: "
                    + client.get(1) + ", caCertificates: " + f.caFile() + "}"));

            HttpResponse<String> response = f.callClient();

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("client origin tls sni=" + HOST + " client=CN=client.example");
        }
    }

    @Test
    void withoutAClientCertificateTheServerRefusesAnd503SaysWhy() {
        try (OriginServer server = f.https(f.pki, HOST, true)) {
            f.apply(egressPattern("{mode: SIMPLE, caCertificates: " + f.caFile() + "}"));

            HttpResponse<String> response = f.callClient();

            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(response.body()).containsPattern("transport failure reason: TLS error: .*("
                    + "certificate_required|bad_certificate|the server closed the connection right after the TLS)");
            assertThat(server.requests()).isZero();
            Eventually.within(Duration.ofSeconds(5), () -> assertThat(f.fleet.logs("default", "client"))
                    .anySatisfy(line -> assertThat(line).contains("\"response_code\":503", "\"response_flags\":\"UF",
                            "\"upstream_transport_failure_reason\":")));
        }
    }

    @Test
    void aClientCertificateOfAnotherCaIsRefusedByTheServer() {
        TestPki stranger = new TestPki("someone else's CA");
        TestPki.Issued issued = stranger.issue("client.example");
        Path cert = f.write("stranger.crt", TestPki.pem(issued.certificate()));
        Path key = f.write("stranger.key", TestPki.pem(issued.keys().getPrivate()));
        try (OriginServer server = f.https(f.pki, HOST, true)) {
            f.apply(egressPattern("{mode: MUTUAL, clientCertificate: " + cert + ", privateKey: " + key
                    + ", caCertificates: " + f.caFile() + "}"));

            HttpResponse<String> response = f.callClient();

            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(response.body()).contains("transport failure reason: TLS error: ");
            assertThat(server.requests()).isZero();
        }
    }

    @Test
    void mutualWithACredentialNameUsesTheCredentialOfTheClientsNamespace() {
        f.pki.writeCredential(f.credentials.resolve("default").resolve("partner-client"),
                f.pki.issue("credential.example"));
        try (OriginServer server = f.https(f.pki, HOST, true)) {
            f.apply(egressPattern("{mode: MUTUAL, credentialName: partner-client}"));

            HttpResponse<String> response = f.callClient();

            assertThat(response.statusCode()).as("ca.crt of the credential verifies the server: " + response.body())
                    .isEqualTo(200);
            assertThat(response.body()).isEqualTo("client origin tls sni=" + HOST + " client=CN=credential.example");
        }
    }

    @Test
    void aCredentialOfAnotherNamespaceIsNotUsed() {
        f.pki.writeCredential(f.credentials.resolve("istio-system").resolve("shared-client"),
                f.pki.issue("shared.example"));
        try (OriginServer server = f.https(f.pki, HOST, true)) {
            f.apply(egressPattern("{mode: MUTUAL, credentialName: shared-client}"));

            HttpResponse<String> response = f.callClient();

            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(response.body()).contains("tls.credentialName: shared-client: no directory "
                    + f.credentials.resolve("default").resolve("shared-client"));
            assertThat(server.requests()).isZero();
        }
    }

    @Test
    void aMirroredCopyOriginatesTlsToo() {
        List<Path> client = f.clientFiles("mirror.example");
        try (OriginServer server = f.https(f.pki, HOST, true)) {
            f.apply(egressPattern("{mode: MUTUAL, clientCertificate: " + client.get(0) + ", privateKey: "
                    + client.get(1) + ", caCertificates: " + f.caFile() + "}").replace(
                    "        port: {number: 443}\n---", "        port: {number: 443}\n"
                            + "    mirror: {host: external.example, port: {number: 443}}\n---"));

            HttpResponse<String> response = f.callClient();

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            Eventually.within(Duration.ofSeconds(5), () -> assertThat(server.requests())
                    .as("the copy reached the HTTPS server over mutual TLS").isEqualTo(2));
        }
    }
}
