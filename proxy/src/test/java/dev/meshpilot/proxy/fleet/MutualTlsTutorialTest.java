package dev.meshpilot.proxy.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.proxy.testing.CapturedLog;
import dev.meshpilot.proxy.testing.Eventually;
import dev.meshpilot.proxy.testing.GatewayClient;
import dev.meshpilot.proxy.testing.Tutorial;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tutorial 7.6, mutual TLS: ns1 hello → ns2 world → legacy end (no sidecar) one way, legacy hello-reverse (no
 * sidecar) → ns2 world-reverse → ns1 end-reverse the other way, with the mesh-wide STRICT MeshPolicy, the
 * {@code *.local} ISTIO_MUTUAL rule and the DISABLE rule for {@code end.legacy}.
 */
class MutualTlsTutorialTest {

    private static final String TLS = "helloworld-tls.yaml";
    private static final String LEGACY = "helloworld-legacy.yaml";
    private static final String ENABLE = "helloworld-tls-enable.yaml";
    /** A rule the gateway sees (in the service's namespace) asking mutual TLS of a workload without a sidecar. */
    private static final String MUTUAL_TO_LEGACY = """
            apiVersion: networking.istio.io/v1alpha3
            kind: DestinationRule
            metadata:
              name: hello-reverse-mtls
              namespace: legacy
            spec:
              host: hello-reverse.legacy.svc.cluster.local
              trafficPolicy:
                tls:
                  mode: ISTIO_MUTUAL
              subsets:
              - name: v1-tls
                labels:
                  version: v1-tls
            """;

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
    void helloTlsAnswersOverMutualTlsWithAPlaintextLastHopToLegacyEnd() {
        fleet.apply(snapshot("c1", true));

        HttpResponse<String> response = client.get("hello-tls.example.com", "/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello world !!!");
        Eventually.within(Duration.ofSeconds(5), () -> {
            assertThat(fleet.logs("ns1", "hello-tls")).anyMatch(line -> line.contains("\"reporter\":\"destination\"")
                    && line.contains("\"peer_identity\":\"spiffe://cluster.local/ns/istio-system/sa/"
                            + "istio-ingressgateway-service-account\""));
            assertThat(fleet.logs("ns2", "world-tls")).anyMatch(line -> line.contains("\"reporter\":\"destination\"")
                    && line.contains("\"peer_identity\":\"spiffe://cluster.local/ns/ns1/sa/default\""));
            assertThat(fleet.metrics().scrape()).containsPattern("istio_requests_total\\{[^}]*"
                    + "connection_security_policy=\"mutual_tls\"[^}]*destination_workload=\"world-tls\"[^}]*"
                    + "reporter=\"destination\"[^}]*source_principal=\"spiffe://cluster.local/ns/ns1/sa/default\"");
        });
    }

    @Test
    void helloTlsReverseFailsWhereLegacyHelloReverseCallsTheStrictWorldReverseInPlaintext() {
        fleet.apply(snapshot("c1", true));

        HttpResponse<String> response;
        String log;
        try (CapturedLog captured = CapturedLog.start()) {
            response = client.get("hello-tls-reverse.example.com", "/");
            log = captured.text();
        }

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).startsWith("hello: downstream http://world-reverse.ns2:8080/ failed");
        assertThat(log).containsPattern("world-reverse-tls-[a-z0-9]{5}: refused a plaintext connection from "
                + "/127\\.0\\.0\\.1:\\d+: mTLS mode STRICT");
        assertThat(fleet.logs("ns2", "world-reverse-tls")).isEmpty();
        assertThat(client.get("hello-tls.example.com", "/").body()).isEqualTo("hello world !!!");
    }

    @Test
    void aRuleAskingMutualTlsOfTheLegacyHelloReverseFailsAtTheGateway() {
        fleet.apply(snapshot("c1", true, new SourceFile("legacy-mtls.yaml", MUTUAL_TO_LEGACY)));

        HttpResponse<String> response = client.get("hello-tls-reverse.example.com", "/");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).startsWith("upstream connect failure at hello-reverse-tls-");
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(fleet.gatewayLogs(10)).isNotEmpty().last()
                .asString().contains("\"response_flags\":\"UF\""));
        assertThat(client.get("hello-tls.example.com", "/").body()).isEqualTo("hello world !!!");
    }

    @Test
    void reverseChainWorksUntilTheStrictMeshPolicyIsAppliedWithoutRestartingSidecars() {
        fleet.apply(snapshot("c1", false));
        assertThat(client.get("hello-tls-reverse.example.com", "/").body()).isEqualTo("hello world !!!");
        List<String> worldReverse = fleet.instanceNames("ns2", "world-reverse-tls");

        ApplyReport report = fleet.apply(snapshot("c2", true));

        assertThat(report.workloadsStarted()).isZero();
        assertThat(fleet.instanceNames("ns2", "world-reverse-tls")).isEqualTo(worldReverse);
        HttpResponse<String> response = client.get("hello-tls-reverse.example.com", "/");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).startsWith("hello: downstream http://world-reverse.ns2:8080/ failed");
    }

    private static MeshSnapshot snapshot(String version, boolean enableMutualTls, SourceFile... more) {
        List<SourceFile> files = new ArrayList<>();
        files.add(new SourceFile(TLS, Tutorial.read(TLS)));
        files.add(new SourceFile(LEGACY, Tutorial.read(LEGACY)));
        if (enableMutualTls) {
            files.add(new SourceFile(ENABLE, Tutorial.read(ENABLE)));
        }
        files.addAll(List.of(more));
        return Tutorial.compile(version, files);
    }
}
