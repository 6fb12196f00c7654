package dev.meshpilot.proxy.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.proxy.endpoint.Endpoint;
import dev.meshpilot.proxy.testing.Eventually;
import dev.meshpilot.proxy.testing.GatewayClient;
import dev.meshpilot.proxy.testing.Tutorial;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A DestinationRule's outlierDetection against a flapping backend: two healthy echo pods and one pod that answers
 * 503 until it recovers. The gateway ejects it after consecutive5xxErrors and takes it back after baseEjectionTime.
 * Istio's default retry policy (a route without {@code retries}) retries a 503 on another endpoint, so users see
 * none of them; with {@code retries.attempts: 0} they do.
 */
class FleetOutlierDetectionTest {

    private static final String MESH = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: flappy
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app: flappy
              template:
                metadata:
                  labels:
                    app: flappy
                spec:
                  containers:
                  - name: flappy
                    image: wardviaene/http-echo
                    env:
                    - name: TEXT
                      value: flappy
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: flappy
            spec:
              selector:
                app: flappy
              ports:
              - name: http
                port: 8080
                targetPort: 8080
            ---
            apiVersion: networking.istio.io/v1alpha3
            kind: DestinationRule
            metadata:
              name: flappy
            spec:
              host: flappy.default.svc.cluster.local
              trafficPolicy:
                outlierDetection:
                  consecutive5xxErrors: 2
                  interval: 1s
                  baseEjectionTime: 8s
                  maxEjectionPercent: 50
            ---
            apiVersion: networking.istio.io/v1alpha3
            kind: VirtualService
            metadata:
              name: flappy
            spec:
              hosts:
              - flappy.example.com
              gateways:
              - helloworld-gateway
              http:
              - route:
                - destination:
                    host: flappy.default.svc.cluster.local
                    port:
                      number: 8080
            """;

    private final AtomicBoolean failing = new AtomicBoolean(true);
    private final AtomicInteger badHits = new AtomicInteger();
    private HttpServer bad;
    private EmbeddedFleet fleet;
    private GatewayClient client;

    @BeforeEach
    void start() throws Exception {
        bad = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        bad.createContext("/", exchange -> {
            badHits.incrementAndGet();
            byte[] body = (failing.get() ? "flapping" : "recovered").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(failing.get() ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        bad.start();
        fleet = new EmbeddedFleet(FleetOptions.localhost());
        fleet.start();
        client = new GatewayClient(fleet.gatewayPort());
        fleet.apply(Tutorial.compile("c1", List.of(new SourceFile("mesh.yaml", MESH),
                new SourceFile("helloworld-gw.yaml", Tutorial.read("helloworld-gw.yaml").split("(?m)^---$")[0]))));
        fleet.registry().register(new Endpoint("flappy-b4d00", "default", "flappy", Map.of("app", "flappy"), "default",
                new InetSocketAddress("127.0.0.1", bad.getAddress().getPort())));
    }

    @AfterEach
    void stop() {
        client.close();
        fleet.close();
        bad.stop(0);
    }

    @Test
    void ejectsTheFlappingEndpointAfterConsecutive5xxAndTakesItBackAfterBaseEjectionTime() {
        long start = System.nanoTime();
        List<Integer> statuses = fifteenRequests();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).as("the 15 requests ran within the ejection time").isLessThan(Duration.ofSeconds(8));
        assertThat(statuses).as("each 503 retried on a healthy pod").containsOnly(200);
        assertThat(badHits).as("answers of the flapping pod before its ejection").hasValue(2);

        failing.set(false); // it flaps back: after baseEjectionTime it is in the rotation again
        Eventually.within(Duration.ofSeconds(20), () -> {
            HttpResponse<String> response = client.get("flappy.example.com", "/");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("recovered");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void withoutOutlierDetectionTheFlappingEndpointKeepsGettingItsShareAndTheDefaultRetriesHideIt() {
        fleet.apply(Tutorial.compile("c2", List.of(new SourceFile("mesh.yaml", withoutOutlierDetection(MESH)),
                new SourceFile("helloworld-gw.yaml", Tutorial.read("helloworld-gw.yaml").split("(?m)^---$")[0]))));

        List<Integer> statuses = fifteenRequests();

        assertThat(statuses).as("each 503 retried on a healthy pod").containsOnly(200);
        assertThat(badHits).as("the flapping pod's share of 15 requests (a third, not ejected)").hasValueGreaterThan(3);
    }

    @Test
    void withoutOutlierDetectionAndWithoutRetriesUsersSeeTheFlappingEndpointsShareOf503() {
        String noRetries = withoutOutlierDetection(MESH).replace("  - route:",
                "  - retries:\n      attempts: 0\n    route:");
        fleet.apply(Tutorial.compile("c2", List.of(new SourceFile("mesh.yaml", noRetries),
                new SourceFile("helloworld-gw.yaml", Tutorial.read("helloworld-gw.yaml").split("(?m)^---$")[0]))));

        List<Integer> statuses = fifteenRequests();

        assertThat(statuses).filteredOn(s -> s == 503).hasSize(5);
    }

    private List<Integer> fifteenRequests() {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            statuses.add(client.get("flappy.example.com", "/").statusCode());
        }
        return statuses;
    }

    private static String withoutOutlierDetection(String mesh) {
        return mesh.replaceAll("(?s)---\\s+apiVersion: networking.istio.io/v1alpha3\\s+kind: DestinationRule.*?"
                + "maxEjectionPercent: 50\\s+", "");
    }
}
