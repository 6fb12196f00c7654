package dev.meshpilot.proxy.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.proxy.endpoint.Endpoint;
import dev.meshpilot.proxy.testing.GatewayClient;
import dev.meshpilot.proxy.testing.Tutorial;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Status codes a client can act on: 504 upstream timeout, 502 upstream connect failure. */
class UpstreamFailureStatusTest {

    private static final String MESH = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: slow
            spec:
              replicas: 1
              selector:
                matchLabels:
                  app: slow
              template:
                metadata:
                  labels:
                    app: slow
                spec:
                  containers:
                  - name: slow
                    image: wardviaene/http-echo:latest
                    env:
                    - name: TEXT
                      value: slow
                    - name: LATENCY
                      value: "3"
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: slow
            spec:
              selector:
                app: slow
              ports:
              - name: http
                port: 8080
                targetPort: 8080
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: ghost
            spec:
              selector:
                app: ghost
              ports:
              - name: http
                port: 8080
                targetPort: 8080
            ---
            apiVersion: networking.istio.io/v1alpha3
            kind: VirtualService
            metadata:
              name: slow
            spec:
              hosts:
              - slow.example.com
              gateways:
              - helloworld-gateway
              http:
              - route:
                - destination:
                    host: slow.default.svc.cluster.local
                    port:
                      number: 8080
                timeout: 500ms
            ---
            apiVersion: networking.istio.io/v1alpha3
            kind: VirtualService
            metadata:
              name: ghost
            spec:
              hosts:
              - ghost.example.com
              gateways:
              - helloworld-gateway
              http:
              - route:
                - destination:
                    host: ghost.default.svc.cluster.local
                    port:
                      number: 8080
            """;

    private EmbeddedFleet fleet;
    private GatewayClient client;

    @BeforeEach
    void start() {
        fleet = new EmbeddedFleet(FleetOptions.localhost());
        fleet.start();
        client = new GatewayClient(fleet.gatewayPort());
        fleet.apply(Tutorial.compile("c1", List.of(new SourceFile("mesh.yaml", MESH),
                new SourceFile("helloworld-gw.yaml", Tutorial.read("helloworld-gw.yaml").split("(?m)^---$")[0]))));
    }

    @AfterEach
    void stop() {
        client.close();
        fleet.close();
    }

    @Test
    void answers504WhenTheRouteTimeoutPasses() {
        long start = System.nanoTime();
        HttpResponse<String> response = client.get("slow.example.com", "/");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).startsWith("upstream request timeout");
        assertThat(took).isBetween(Duration.ofMillis(450), Duration.ofMillis(2500));
    }

    @Test
    void answers502WhenNoEndpointAcceptsTheConnection() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        fleet.registry().register(new Endpoint("ghost-b2c4d", "default", "ghost", Map.of("app", "ghost"), "default",
                new InetSocketAddress("127.0.0.1", closedPort)));

        HttpResponse<String> response = client.get("ghost.example.com", "/");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).startsWith("upstream connect failure at ghost-b2c4d");
    }
}
