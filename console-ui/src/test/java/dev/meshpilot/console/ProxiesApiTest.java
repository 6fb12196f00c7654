package dev.meshpilot.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.console.runtime.MeshPorts;
import dev.meshpilot.sync.SyncLoop;
import dev.meshpilot.sync.SyncState;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET /api/proxies} against the whole application, seeded with the tutorial's starting point. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ProxiesApiTest {

    static final String PASSWORD = "proxies-admin-password";

    @TempDir
    static Path data;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        EmbeddedRuntimeProperties.register(registry, data, PASSWORD);
    }

    @Autowired
    MeshPorts ports;

    @Autowired
    SyncLoop syncLoop;

    @Test
    void listsTheGatewayAndEverySidecarOfTheSeedSyncedAtTheAppliedCommit() {
        MeshpilotHttp http = new MeshpilotHttp(ports.consolePort(), ports.gatewayPort(), "admin", PASSWORD);
        String applied = MeshpilotHttp.poll(Duration.ofSeconds(30), () -> syncLoop.history(),
                history -> !history.isEmpty() && history.get(0).state() == SyncState.APPLIED, "the seed applied")
                .transform(history -> history.get(0).commitId());

        HttpResponse<String> response = MeshpilotHttp.poll(Duration.ofSeconds(10),
                () -> http.console("/api/proxies", true),
                r -> r.statusCode() == 200 && r.body().contains(applied), "proxies at " + applied).value();

        JsonNode proxies = JsonMapper.shared().readTree(response.body());
        List<String> deployments = proxies.valueStream().map(p -> p.get("namespace").asString() + "/"
                + p.get("deployment").asString()).distinct().toList();
        assertThat(deployments).containsExactly("default/hello", "default/hello-v2", "default/world",
                "default/world-2", "istio-system/istio-ingressgateway");
        assertThat(proxies.size()).as("3 replicas of each of the 4 Deployments, and the gateway").isEqualTo(13);
        assertThat(proxies.valueStream()).allSatisfy(proxy -> {
            assertThat(proxy.get("version").asString()).isEqualTo(applied);
            assertThat(proxy.get("synced").asBoolean()).isTrue();
        });
        assertThat(proxies.valueStream().map(p -> p.get("proxyId").asString()))
                .contains("istio-ingressgateway")
                .anySatisfy(id -> assertThat(id).matches("hello-[a-z0-9]{5}"));
    }

    @Test
    void asksForCredentials() {
        MeshpilotHttp http = new MeshpilotHttp(ports.consolePort(), ports.gatewayPort(), "admin", PASSWORD);

        assertThat(http.console("/api/proxies", false).statusCode()).isEqualTo(401);
    }
}
