package dev.meshpilot.proxy.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.proxy.identity.CaSettings;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import dev.meshpilot.proxy.testing.CapturedLog;
import dev.meshpilot.proxy.testing.Eventually;
import dev.meshpilot.proxy.testing.GatewayClient;
import dev.meshpilot.proxy.testing.Tutorial;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet's CA, certificate rotation and what a fleet run logs. */
class FleetMutualTlsTest {

    private static final String DISABLE_WORLD = """
            apiVersion: networking.istio.io/v1alpha3
            kind: DestinationRule
            metadata:
              name: world-plaintext
            spec:
              host: world.default.svc.cluster.local
              trafficPolicy:
                tls:
                  mode: DISABLE
            """;

    @TempDir
    Path dir;

    @Test
    void theChainKeepsAnsweringAcrossTwoRotationsOfEveryCertificate() throws Exception {
        try (EmbeddedFleet fleet = new EmbeddedFleet(FleetOptions.localhost()
                .withWorkloadCertificateTtl(Duration.ofSeconds(2)));
                GatewayClient client = started(fleet)) {
            fleet.apply(Tutorial.snapshot("c1", "helloworld.yaml", "helloworld-gw.yaml"));
            long deadline = System.nanoTime() + Duration.ofMillis(4_500).toNanos();
            int requests = 0;
            while (System.nanoTime() < deadline) {
                HttpResponse<String> response = client.get("hello.example.com", "/hello");
                assertThat(response.statusCode()).as("request %d: %s", requests, response.body()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("hello world !!!");
                requests++;
                Thread.sleep(20);
            }
            assertThat(requests).isGreaterThan(20);
            assertThat(fleet.logs("default", "world")).last().asString()
                    .contains("\"peer_identity\":\"spiffe://cluster.local/ns/default/sa/default\"");
        }
    }

    @Test
    void noPrivateKeyAppearsInTheLogsOfAFleetRun() throws Exception {
        String logged;
        try (CapturedLog log = CapturedLog.start()) {
            try (EmbeddedFleet fleet = new EmbeddedFleet(FleetOptions.localhost().withCaDirectory(dir.resolve("ca"))
                    .withWorkloadCertificateTtl(Duration.ofSeconds(1)));
                    GatewayClient client = started(fleet)) {
                fleet.apply(Tutorial.snapshot("c1", "helloworld.yaml", "helloworld-gw.yaml"));
                assertThat(client.get("hello.example.com", "/hello").body()).isEqualTo("hello world !!!");
                Eventually.within(Duration.ofSeconds(5),
                        () -> assertThat(log.text()).contains("Rotated certificate of spiffe://cluster.local/ns/"));
                assertThat(client.get("hello.example.com", "/hello").body()).isEqualTo("hello world !!!");
            }
            logged = log.text();
        }

        assertThat(logged).contains("Created mesh root CA");
        assertThat(logged).doesNotContain("PRIVATE KEY").doesNotContain("BEGIN EC");
        assertThat(Files.readString(dir.resolve("ca").resolve(rootKeyFile()))).contains("ENCRYPTED PRIVATE KEY");
    }

    @Test
    void aCaDirectoryIsCreatedOnceAndKeptAcrossFleets() {
        Path caDir = dir.resolve("data").resolve("ca");
        String root;
        try (EmbeddedFleet first = new EmbeddedFleet(FleetOptions.localhost().withCaDirectory(caDir))) {
            first.start();
            root = first.certificateAuthority().rootCertificatePem();
        }
        try (EmbeddedFleet second = new EmbeddedFleet(FleetOptions.localhost().withCaDirectory(caDir))) {
            second.start();
            assertThat(second.certificateAuthority().rootCertificatePem()).isEqualTo(root);
        }
        WorkloadCertificateAuthority given = WorkloadCertificateAuthority.openOrCreate(dir.resolve("given"),
                CaSettings.defaults());
        try (EmbeddedFleet third = new EmbeddedFleet(FleetOptions.localhost().withCa(given))) {
            third.start();
            assertThat(third.certificateAuthority()).isSameAs(given);
        }
    }

    @Test
    void aDisableRuleSendsPlaintextToASidecarThatAcceptsIt() {
        try (EmbeddedFleet fleet = new EmbeddedFleet(FleetOptions.localhost());
                GatewayClient client = started(fleet)) {
            fleet.apply(Tutorial.compile("c1", java.util.List.of(
                    new dev.meshpilot.policy.SourceFile("helloworld.yaml", Tutorial.read("helloworld.yaml")),
                    new dev.meshpilot.policy.SourceFile("helloworld-gw.yaml", Tutorial.read("helloworld-gw.yaml")),
                    new dev.meshpilot.policy.SourceFile("world-plaintext.yaml", DISABLE_WORLD))));

            assertThat(client.get("hello.example.com", "/hello").body()).isEqualTo("hello world !!!");

            Eventually.within(Duration.ofSeconds(5), () -> {
                assertThat(fleet.logs("default", "hello")).anyMatch(line -> line.contains("\"reporter\":\"destination\"")
                        && line.contains("\"peer_identity\":\"spiffe://cluster.local/ns/istio-system/sa/"
                                + "istio-ingressgateway-service-account\""));
                assertThat(fleet.logs("default", "world")).anyMatch(line -> line.contains("\"reporter\":\"destination\"")
                        && line.contains("\"peer_identity\":null"));
                assertThat(fleet.metrics().scrape()).containsPattern("istio_requests_total\\{[^}]*"
                        + "connection_security_policy=\"none\"[^}]*destination_workload=\"world\"[^}]*"
                        + "reporter=\"destination\"");
            });
        }
    }

    private static GatewayClient started(EmbeddedFleet fleet) {
        fleet.start();
        return new GatewayClient(fleet.gatewayPort());
    }

    private static String rootKeyFile() {
        return "root-key.pem";
    }
}
