package dev.meshpilot.proxy.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.proxy.testing.Eventually;
import dev.meshpilot.proxy.testing.GatewayClient;
import dev.meshpilot.proxy.testing.Tutorial;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tutorial 7.8 through the whole fleet with the unchanged helloworld-rbac-enable.yaml + helloworld-rbac.yaml. The
 * bindings name service accounts and the gateway's namespace, which only mutual TLS proves: until the mTLS inbound
 * listener attaches {@link dev.meshpilot.proxy.identity.PeerPrincipal}, every peer is plaintext and RBAC denies
 * the first hop. The same decisions are tested per workload in
 * {@code dev.meshpilot.proxy.sidecar.RbacTutorialDecisionTest}.
 */
class FleetRbacTutorialTest {

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
    void helloRbacAnswersHelloWorldThroughTheGateway() {
        fleet.apply(Tutorial.snapshot("rbac", "helloworld-rbac-enable.yaml", "helloworld-rbac.yaml"));
        HttpResponse<String> response = client.get("hello-rbac.example.com", "/");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello world !!!");
    }

    @Test
    void withoutWorldUserBindingTheHopToWorld2IsDenied() {
        String rbac = Arrays.stream(Tutorial.read("helloworld-rbac.yaml").split("(?m)^---\\s*$"))
                .filter(doc -> !doc.contains("name: world-user-binding\n")).collect(Collectors.joining("---\n"));
        fleet.apply(Tutorial.compile("rbac-2", List.of(
                new SourceFile("helloworld-rbac-enable.yaml", Tutorial.read("helloworld-rbac-enable.yaml")),
                new SourceFile("helloworld-rbac.yaml", rbac))));

        HttpResponse<String> response = client.get("hello-rbac.example.com", "/");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("hello: downstream http://world:8080/ answered 403: "
                + "world: downstream http://world-2:8080/ answered 403: RBAC: access denied");
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(fleet.logs("default", "world-2")).anySatisfy(line ->
                assertThat(line).contains("\"response_code\":403")
                        .contains("\"authz_policy\":\"default/rbac-deny-by-default\"")
                        .contains("\"authz_reason\":\"denied: ALLOW policy default/rbac-deny-by-default has no rules")));
    }
}
