package dev.meshpilot.proxy.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.proxy.testing.GatewayClient;
import dev.meshpilot.proxy.testing.Tutorial;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tutorial's routing examples, end to end through the gateway, sidecars and echo instances. */
class EmbeddedFleetTutorialTest {

    private static final String V1 = "hello world !!!";
    private static final String V2 = "hello, this is v2 !!!";

    private EmbeddedFleet fleet;
    private GatewayClient client;

    @BeforeEach
    void start() {
        fleet = new EmbeddedFleet(FleetOptions.localhost());
        fleet.start();
        client = new GatewayClient(fleet.gatewayPort());
    }

    @AfterEach
    void stop() {
        client.close();
        fleet.close();
    }

    @Test
    void answersNoRouteBeforeAnySnapshot() {
        HttpResponse<String> response = client.get("hello.example.com", "/hello");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("no route to hello.example.com");
    }

    @Test
    void helloChainAnswersHelloWorld() {
        ApplyReport report = fleet.apply(Tutorial.snapshot("c1", "helloworld.yaml", "helloworld-gw.yaml"));

        assertThat(report.workloadsStarted()).isEqualTo(9);
        assertThat(report.proxies()).hasSize(10).allMatch(ProxyStatus::synced).allMatch(p -> p.version().equals("c1"));
        HttpResponse<String> response = client.get("hello.example.com", "/hello");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(V1);
        assertThat(client.get("hello.example.com", "/other").statusCode()).isEqualTo(404);
    }

    @Test
    void canarySplitsNinetyTen() {
        fleet.apply(canary());
        int v2 = 0;
        int total = 400;
        for (int i = 0; i < total; i++) {
            HttpResponse<String> response = client.get("hello.example.com", "/");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isIn(V1, V2);
            if (response.body().equals(V2)) {
                v2++;
            }
        }
        // 10% of 400 = 40, binomial sd = 6: 5%..16% is beyond 3 sd on both sides.
        assertThat(v2).isBetween(20, 64);
    }

    @Test
    void routesJohnToV2WhenEndUserHeaderMatches() {
        // as in the tutorial, helloworld-v2-routing.yaml replaces the VirtualService "helloworld" of helloworld-gw.yaml
        String gatewayOnly = Tutorial.read("helloworld-gw.yaml").split("(?m)^---$")[0];
        fleet.apply(Tutorial.compile("c1", List.of(new SourceFile("helloworld.yaml", Tutorial.read("helloworld.yaml")),
                new SourceFile("helloworld-gw.yaml", gatewayOnly),
                new SourceFile("helloworld-v2.yaml", Tutorial.read("helloworld-v2.yaml")),
                new SourceFile("helloworld-v2-routing.yaml", Tutorial.read("helloworld-v2-routing.yaml")))));
        for (int i = 0; i < 20; i++) {
            assertThat(client.get("hello.example.com", "/", Map.of("end-user", "john")).body()).isEqualTo(V2);
        }
        for (int i = 0; i < 20; i++) {
            assertThat(client.get("hello.example.com", "/").body()).isEqualTo(V1);
        }
    }

    @Test
    void applyingANewSnapshotChangesTraffic() {
        fleet.apply(Tutorial.snapshot("c1", "helloworld.yaml", "helloworld-gw.yaml"));
        assertThat(client.get("hello.example.com", "/hello").body()).isEqualTo(V1);

        String edited = Tutorial.read("helloworld.yaml").replace("value: hello\n", "value: hi\n");
        ApplyReport report = fleet.apply(Tutorial.compile("c2", List.of(
                new SourceFile("helloworld.yaml", edited),
                new SourceFile("helloworld-gw.yaml", Tutorial.read("helloworld-gw.yaml")))));

        assertThat(report.workloadsStarted()).isEqualTo(3);
        assertThat(report.workloadsStopped()).isEqualTo(3);
        assertThat(report.messages()).anyMatch(m -> m.contains("default/hello: pod template changed"));
        for (int i = 0; i < 10; i++) {
            assertThat(client.get("hello.example.com", "/hello").body()).isEqualTo("hi world !!!");
        }
        assertThat(fleet.proxies()).allMatch(p -> p.version().equals("c2") && p.synced());
    }

    @Test
    void removedDeploymentsStopAndOtherImagesAreSkipped() {
        fleet.apply(canary());
        String other = Tutorial.read("helloworld-v2.yaml").replace("image: wardviaene/http-echo", "image: nginx:1.27");
        ApplyReport report = fleet.apply(Tutorial.compile("c2", List.of(
                new SourceFile("helloworld.yaml", Tutorial.read("helloworld.yaml")),
                new SourceFile("helloworld-v2.yaml", other))));

        assertThat(report.workloadsStopped()).isEqualTo(3);
        assertThat(fleet.instanceNames("default", "hello-v2")).isEmpty();
        assertThat(fleet.instanceNames("default", "hello")).hasSize(3);
        assertThat(report.messages()).anyMatch(m -> m.contains("nginx:1.27 is not a built-in workload, skipped"));
        assertThat(client.get("hello.example.com", "/").statusCode()).isEqualTo(404);
    }

    private static MeshSnapshot canary() {
        return Tutorial.snapshot("c1", "helloworld.yaml", "helloworld-gw.yaml", "helloworld-v2.yaml",
                "helloworld-v2-canary.yaml");
    }
}
