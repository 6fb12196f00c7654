package dev.meshpilot.proxy.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.proxy.identity.RootRotation;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import dev.meshpilot.proxy.testing.CapturedLog;
import dev.meshpilot.proxy.testing.GatewayClient;
import dev.meshpilot.proxy.testing.Tutorial;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An operator rotates the mesh root while the tutorial's chain (gateway → hello → world, all mTLS) serves traffic. */
class FleetRootRotationTest {

    @TempDir
    Path dir;

    @Test
    void theChainKeepsAnsweringThroughARootRotationUntilThePreviousRootRetires() throws Exception {
        try (CapturedLog log = CapturedLog.start();
                EmbeddedFleet fleet = new EmbeddedFleet(FleetOptions.localhost().withCaDirectory(dir.resolve("ca"))
                        .withWorkloadCertificateTtl(Duration.ofSeconds(2)))) {
            fleet.start();
            try (GatewayClient client = new GatewayClient(fleet.gatewayPort())) {
                fleet.apply(Tutorial.snapshot("c1", "helloworld.yaml", "helloworld-gw.yaml"));
                int requests = expectHelloWorldUntil(client, Instant.now().plusMillis(500), 0);
                WorkloadCertificateAuthority ca = fleet.certificateAuthority();
                int logged = log.text().length();

                RootRotation rotation = ca.rotateRoot();

                assertThat(log.text().substring(logged))
                        .contains("Rotated certificate of spiffe://cluster.local/ns/istio-system/sa/"
                                + FleetIdentities.GATEWAY_SERVICE_ACCOUNT)
                        .contains("Rotated certificate of spiffe://cluster.local/ns/default/sa/default");
                assertThat(ca.trustBundle().roots()).hasSize(2);
                // new instances carry the new root: every proxy must trust it for the new connections to them
                fleet.apply(Tutorial.compile("c2", List.of(new SourceFile("helloworld.yaml",
                        Tutorial.read("helloworld.yaml").replace("replicas: 3", "replicas: 4")),
                        new SourceFile("helloworld-gw.yaml", Tutorial.read("helloworld-gw.yaml")))));
                requests = expectHelloWorldUntil(client, rotation.previousRootRetiresAt().plusMillis(300), requests);
                assertThat(ca.rootRotation()).isEmpty();
                assertThat(ca.trustBundle().roots()).containsExactly(rotation.newRoot());
                requests = expectHelloWorldUntil(client, Instant.now().plusMillis(1_500), requests);
                assertThat(requests).isGreaterThan(10);
                assertThat(log.text()).contains("left the trust bundle");
            }
        }
    }

    /** Sends requests until {@code end}, each answered by the chain; returns the running count. */
    private static int expectHelloWorldUntil(GatewayClient client, Instant end, int count) throws Exception {
        int requests = count;
        while (Instant.now().isBefore(end)) {
            HttpResponse<String> response = client.get("hello.example.com", "/hello");
            assertThat(response.statusCode()).as("request %d: %s", requests, response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello world !!!");
            requests++;
            Thread.sleep(20);
        }
        return requests;
    }
}
