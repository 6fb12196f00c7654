package dev.meshpilot.proxy.egress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.proxy.endpoint.Endpoint;
import dev.meshpilot.proxy.fleet.EmbeddedFleet;
import dev.meshpilot.proxy.fleet.FleetOptions;
import dev.meshpilot.proxy.testing.Eventually;
import dev.meshpilot.proxy.testing.Tutorial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tutorial 7.10: a workload calls a host outside the mesh through its sidecar. A local server stands in for
 * ifconfig.co; the fleet's resolver maps the test's external names to it and refuses every other name.
 */
class SidecarEgressTest {

    private final ExternalServer external = new ExternalServer();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private EmbeddedFleet fleet;

    @BeforeEach
    void start() {
        fleet = new EmbeddedFleet(FleetOptions.localhost().withResolver(external.resolver("ifconfig.co",
                "unlisted.example")));
        fleet.start();
    }

    @AfterEach
    void stop() {
        fleet.close();
        http.shutdownNow();
        external.close();
    }

    @Test
    void aServiceEntryHostIsReachedThroughTheSidecar() {
        apply(client("ifconfig.co:" + external.port()) + serviceEntry("ifconfig.co", external.port()));

        HttpResponse<String> response = callClient();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("client external 127.0.0.1");
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(fleet.logs("default", "client"))
                .anySatisfy(line -> assertThat(line).contains("\"reporter\":\"source\"",
                        "\"authority\":\"ifconfig.co:" + external.port() + "\"", "\"response_code\":200",
                        "\"upstream_cluster\":\"outbound|" + external.port() + "||ifconfig.co\"",
                        "\"upstream_host\":\"127.0.0.1:" + external.port() + "\"")));
    }

    @Test
    void aHostOutsideTheRegistryPassesThroughUnderAllowAny() {
        apply(client("unlisted.example:" + external.port()));

        HttpResponse<String> response = callClient();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("client external 127.0.0.1");
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(fleet.logs("default", "client"))
                .anySatisfy(line -> assertThat(line).contains("\"reporter\":\"source\"",
                        "\"upstream_cluster\":\"PassthroughCluster\"", "\"route_name\":\"allow_any\"")));
    }

    @Test
    void registryOnlyRefusesAHostOutsideTheRegistryWith502AndSaysWhy() {
        apply(client("unlisted.example:" + external.port()) + REGISTRY_ONLY);

        HttpResponse<String> response = callClient();

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("REGISTRY_ONLY: unlisted.example is not in the service registry");
        assertThat(external.hostHeaders()).isEmpty();
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(fleet.logs("default", "client"))
                .anySatisfy(line -> assertThat(line).contains("\"reporter\":\"source\"", "\"response_code\":502",
                        "\"response_flags\":\"NR\"", "\"upstream_cluster\":\"BlackHoleCluster\"",
                        "\"policy\":\"REGISTRY_ONLY: unlisted.example is not in the service registry")));
    }

    @Test
    void registryOnlyStillReachesAServiceEntryHost() {
        apply(client("ifconfig.co:" + external.port()) + REGISTRY_ONLY + serviceEntry("ifconfig.co", external.port()));

        HttpResponse<String> response = callClient();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("client external 127.0.0.1");
    }

    @Test
    void meshMetadataDoesNotLeaveTheMesh() {
        apply(client("ifconfig.co:" + external.port()) + serviceEntry("ifconfig.co", external.port()));

        assertThat(callClient().statusCode()).isEqualTo(200);

        assertThat(external.hostHeaders()).as("the name the workload called, not the address it resolved to")
                .containsExactly("ifconfig.co:" + external.port());
        assertThat(fleet.logs("default", "client")).noneSatisfy(line -> assertThat(line).contains("BlackHole"));
    }

    @Test
    void anExternalNameThatDoesNotResolveIsNoHealthyUpstream() {
        apply(client("nowhere.invalid:" + external.port()) + serviceEntry("nowhere.invalid", external.port()));

        HttpResponse<String> response = callClient();

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("cannot resolve nowhere.invalid");
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(fleet.logs("default", "client"))
                .anySatisfy(line -> assertThat(line).contains("\"reporter\":\"source\"", "\"response_code\":503",
                        "\"response_flags\":\"UH\"")));
    }

    private void apply(String yaml) {
        fleet.apply(Tutorial.compile("v1", List.of(new SourceFile("egress.yaml", yaml))));
    }

    /** GET / at the client workload's sidecar inbound listener. */
    private HttpResponse<String> callClient() {
        List<Endpoint> endpoints = new ArrayList<>(fleet.registry().all());
        endpoints.removeIf(e -> !e.deployment().equals("client"));
        assertThat(endpoints).hasSize(1);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + endpoints.get(0).hostPort() + "/"))
                .timeout(Duration.ofSeconds(20)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final String REGISTRY_ONLY = """
            apiVersion: networking.istio.io/v1alpha3
            kind: Sidecar
            metadata:
              name: default
            spec:
              outboundTrafficPolicy:
                mode: REGISTRY_ONLY
            ---
            """;

    static String client(String next) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: client
                spec:
                  replicas: 1
                  selector:
                    matchLabels:
                      app: client
                  template:
                    metadata:
                      labels:
                        app: client
                    spec:
                      containers:
                      - name: client
                        image: wardviaene/http-echo
                        env:
                        - name: TEXT
                          value: client
                        - name: NEXT
                          value: "%s"
                ---
                """.formatted(next);
    }

    static String serviceEntry(String host, int port) {
        return """
                apiVersion: networking.istio.io/v1alpha3
                kind: ServiceEntry
                metadata:
                  name: external-http
                spec:
                  hosts:
                  - %s
                  ports:
                  - number: %d
                    name: http
                    protocol: HTTP
                  resolution: DNS
                  location: MESH_EXTERNAL
                """.formatted(host, port);
    }
}
