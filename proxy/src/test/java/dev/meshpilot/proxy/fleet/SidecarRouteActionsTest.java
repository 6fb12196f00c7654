package dev.meshpilot.proxy.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.proxy.testing.Eventually;
import dev.meshpilot.proxy.testing.GatewayClient;
import dev.meshpilot.proxy.testing.Tutorial;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A mesh VirtualService's extras are enforced by the calling workload's sidecar (hello → world). */
class SidecarRouteActionsTest {

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
    void aFaultOnWorldIsInjectedByHellosSidecar() {
        apply("""
                  - fault:
                      abort:
                        httpStatus: 503
                        percentage:
                          value: 100
                    route:
                    - destination:
                        host: world
                """);

        HttpResponse<String> response = client.get("hello.example.com", "/hello");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("fault filter abort");
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(fleet.logs("default", "hello"))
                .anySatisfy(line -> assertThat(line).contains("\"reporter\":\"source\"", "\"response_code\":503",
                        "\"response_flags\":\"FI\"", "\"route_name\":\"default/world\"")));
        assertThat(fleet.logs("default", "world")).isEmpty();
    }

    @Test
    void aDelayOnWorldSlowsTheChainAndIsFlaggedDi() {
        apply("""
                  - fault:
                      delay:
                        fixedDelay: 300ms
                        percentage:
                          value: 100
                    route:
                    - destination:
                        host: world
                """);

        long start = System.nanoTime();
        HttpResponse<String> response = client.get("hello.example.com", "/hello");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello world !!!");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(fleet.logs("default", "hello"))
                .anySatisfy(line -> assertThat(line).contains("\"response_code\":200", "\"response_flags\":\"DI\"")));
    }

    @Test
    void aMirroredCopyReachesAStrictDestinationOverMutualTls() {
        apply("""
                  - mirror:
                      host: world-2
                    mirrorPercentage:
                      value: 100
                    route:
                    - destination:
                        host: world
                """, """
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata:
                  name: default
                  namespace: istio-system
                spec:
                  mtls:
                    mode: STRICT
                """);

        HttpResponse<String> response = client.get("hello.example.com", "/hello");

        assertThat(response.body()).isEqualTo("hello world !!!");
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(fleet.logs("default", "world-2"))
                .anySatisfy(line -> assertThat(line).contains("\"authority\":\"world-shadow:8080\"",
                        "\"response_code\":200", "\"peer_identity\":\"spiffe://cluster.local/ns/default/sa/")));
    }

    private void apply(String worldRules) {
        apply(worldRules, "");
    }

    private void apply(String worldRules, String more) {
        fleet.apply(Tutorial.compile("c1", List.of(new SourceFile("helloworld.yaml", Tutorial.read("helloworld.yaml")),
                new SourceFile("helloworld-gw.yaml", Tutorial.read("helloworld-gw.yaml")),
                new SourceFile("world.yaml", """
                        apiVersion: networking.istio.io/v1alpha3
                        kind: VirtualService
                        metadata:
                          name: world
                        spec:
                          hosts:
                          - world
                          http:
                        """ + worldRules + more))));
    }
}
