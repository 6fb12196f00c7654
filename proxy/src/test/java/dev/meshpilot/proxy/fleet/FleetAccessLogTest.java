package dev.meshpilot.proxy.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.proxy.testing.Eventually;
import dev.meshpilot.proxy.testing.GatewayClient;
import dev.meshpilot.proxy.testing.Tutorial;
import dev.meshpilot.observability.trace.Span;
import dev.meshpilot.observability.trace.Trace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One JSON access-log line per request per proxy, with one request id and one trace id along the chain. */
class FleetAccessLogTest {

    private static final Pattern REQUEST_ID = Pattern.compile("\"x_request_id\":\"([^\"]+)\"");
    private static final Pattern TRACE_ID = Pattern.compile("\"trace_id\":\"([0-9a-f]{32})\"");

    private EmbeddedFleet fleet;
    private GatewayClient client;

    @BeforeEach
    void start() {
        fleet = new EmbeddedFleet(FleetOptions.localhost());
        fleet.start();
        client = new GatewayClient(fleet.gatewayPort());
        fleet.apply(Tutorial.snapshot("c1", "helloworld.yaml", "helloworld-gw.yaml"));
    }

    @AfterEach
    void stop() {
        client.close();
        fleet.close();
    }

    @Test
    void gatewayGeneratesRequestIdAndTraceThatEverySidecarLogs() {
        assertThat(client.get("hello.example.com", "/hello").body()).isEqualTo("hello world !!!");

        Eventually.within(Duration.ofSeconds(5), () -> {
            assertThat(fleet.gatewayLogs(10)).hasSize(1);
            assertThat(fleet.logs("default", "hello")).hasSize(2);
        });
        String line = fleet.gatewayLogs(10).get(0);
        assertThat(line).contains("\"method\":\"GET\"", "\"authority\":\"hello.example.com\"", "\"path\":\"/hello\"",
                "\"response_code\":200", "\"response_flags\":\"-\"", "\"route_name\":\"default/helloworld\"",
                "\"reporter\":\"gateway\"", "outbound|8080||hello.default.svc.cluster.local",
                "\"peer_identity\":\"spiffe://cluster.local/ns/default/sa/default\"");
        String requestId = group(REQUEST_ID, line);
        String traceId = group(TRACE_ID, line);

        for (String deployment : List.of("hello", "world", "world-2")) {
            List<String> lines = fleet.logs("default", deployment);
            assertThat(lines).as(deployment).isNotEmpty()
                    .allSatisfy(l -> assertThat(l).contains(requestId, traceId, "\"response_code\":200"));
        }
        assertThat(fleet.logs("default", "hello")).hasSize(2)
                .anyMatch(l -> l.contains("\"reporter\":\"destination\"") && l.contains(
                        "\"peer_identity\":\"spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account\""))
                .anyMatch(l -> l.contains("\"reporter\":\"source\"") && l.contains("\"authority\":\"world:8080\""));
        assertThat(fleet.logs("default", "world-2")).hasSize(1);
    }

    @Test
    void keepsTheClientsRequestIdAndTraceId() {
        String traceId = "463ac35c9f6413ad48485a3953bb6124";
        client.get("hello.example.com", "/hello", Map.of("x-request-id", "my-request-1",
                "traceparent", "00-" + traceId + "-a2fb4a1d1a96d312-01"));

        Eventually.within(Duration.ofSeconds(5), () -> assertThat(fleet.gatewayLogs(1)).hasSize(1));
        assertThat(fleet.gatewayLogs(1).get(0)).contains("\"x_request_id\":\"my-request-1\"", traceId);
        assertThat(fleet.logs("default", "world-2")).singleElement().asString()
                .contains("\"x_request_id\":\"my-request-1\"", traceId);
    }

    @Test
    void logsNoRouteWithItsFlag() {
        assertThat(client.get("unknown.example.com", "/").statusCode()).isEqualTo(404);
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(fleet.gatewayLogs(1)).hasSize(1));
        assertThat(fleet.gatewayLogs(1).get(0)).contains("\"response_code\":404", "\"response_flags\":\"NR\"");
    }

    @Test
    void countsIstioRequestsTotalWithSourceAndDestinationLabels() {
        client.get("hello.example.com", "/hello");
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(fleet.metrics().scrape())
                .containsPattern("istio_requests_total\\{[^}]*destination_service=\"world-2.default.svc.cluster.local\"")
        );
        String scrape = fleet.metrics().scrape();
        assertThat(scrape).containsPattern("istio_requests_total\\{[^}]*destination_version=\"v1\"[^}]*\\} 1")
                .contains("source_workload=\"istio-ingressgateway\"", "source_workload=\"hello\"",
                        "destination_workload=\"world\"", "response_code=\"200\"", "reporter=\"source\"",
                        "istio_request_duration_milliseconds");
        assertThat(scrape).containsPattern("istio_requests_total\\{[^}]*destination_service=\"hello.default.svc.cluster.local\""
                + "[^}]*destination_version=\"v1\"[^}]*reporter=\"destination\"[^}]*source_workload=\"istio-ingressgateway\"");
    }

    @Test
    void recordsOneConnectedTraceAcrossTheChain() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        client.get("hello.example.com", "/hello", Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));

        // gateway client span, then a server and a client span for hello and world, a server span for world-2
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(fleet.spans().trace(traceId))
                .hasValueSatisfying(t -> assertThat(t.spans()).hasSize(6)));
        Trace trace = fleet.spans().trace(traceId).orElseThrow();
        assertThat(trace.services()).contains("istio-ingressgateway.istio-system", "hello.default", "world.default",
                "world-2.default");
        assertThat(trace.spans()).allSatisfy(span -> assertThat(span.statusCode()).isEqualTo(200));
        Set<String> ids = trace.spans().stream().map(Span::spanId).collect(Collectors.toSet());
        assertThat(trace.spans()).filteredOn(span -> !ids.contains(span.parentSpanId())).singleElement()
                .satisfies(root -> assertThat(root.parentSpanId()).isEqualTo("00f067aa0ba902b7"));
    }

    private static String group(Pattern pattern, String line) {
        Matcher m = pattern.matcher(line);
        assertThat(m.find()).as(pattern + " in " + line).isTrue();
        return m.group(1);
    }
}
