package dev.meshpilot.proxy.route;

import static dev.meshpilot.proxy.route.RouteActionsTest.vs;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connection-pool limits (circuit breaking) and retryOn conditions, against failing, slow and closed backends. */
class PoolAndRetryTest {

    private static final String ROUTE = vs("""
              - route:
                - destination:
                    host: backend
            """);

    private final GatewayHarness mesh = new GatewayHarness();

    @AfterEach
    void stop() {
        mesh.close();
    }

    @Test
    void requestsPastConnectionsAndPendingQueueOverflowWith503Uo() throws Exception {
        Backend backend = mesh.backend("backend-a").answering(n -> new Backend.Answer(200, "ok", Duration.ofMillis(800),
                Map.of()));
        mesh.apply(ROUTE + pool("""
                tcp:
                        maxConnections: 1
                      http:
                        http1MaxPendingRequests: 1"""));

        List<HttpResponse<String>> responses = parallel(4);

        assertThat(responses).filteredOn(r -> r.statusCode() == 200).hasSize(2);
        assertThat(responses).filteredOn(r -> r.statusCode() == 503).hasSize(2).allSatisfy(r -> assertThat(r.body())
                .isEqualTo("upstream connect error or disconnect/reset before headers. reset reason: overflow"));
        assertThat(backend.maxInFlight()).isEqualTo(1);
        mesh.awaitLog("\"response_code\":503", "\"response_flags\":\"UO\"");
    }

    @Test
    void http2MaxRequestsOverflowsWithoutQueueing() throws Exception {
        Backend backend = mesh.backend("backend-a").answering(n -> new Backend.Answer(200, "ok", Duration.ofMillis(800),
                Map.of()));
        mesh.apply(ROUTE + pool("""
                http:
                        http2MaxRequests: 2"""));

        List<HttpResponse<String>> responses = parallel(5);

        assertThat(responses).filteredOn(r -> r.statusCode() == 200).hasSize(2);
        assertThat(responses).filteredOn(r -> r.statusCode() == 503).hasSize(3);
        assertThat(backend.received()).hasSize(2);
    }

    @Test
    void aRequestWithinTheLimitsIsNotHeldBack() {
        mesh.backend("backend-a");
        mesh.apply(ROUTE + pool("""
                tcp:
                        maxConnections: 1"""));

        for (int i = 0; i < 20; i++) {
            assertThat(mesh.client().get("api.example.com", "/").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void retryOn5xxGoesToTheOtherEndpointButConnectFailureDoesNotRetryA503() {
        Backend failing = mesh.backend("backend-a").answering(n -> new Backend.Answer(503, "down", Duration.ZERO,
                Map.of()));
        mesh.backend("backend-b");
        mesh.apply(retrying("retryOn: 5xx"));
        List<Integer> with5xx = statuses(10);
        int triedBefore = failing.received().size();
        mesh.apply(retrying("retryOn: connect-failure"));
        List<Integer> withConnectFailure = statuses(10);

        assertThat(triedBefore).isPositive();
        assertThat(with5xx).containsOnly(200);
        assertThat(withConnectFailure).filteredOn(s -> s == 503).isNotEmpty()
                .hasSize(failing.received().size() - triedBefore);
    }

    @Test
    void aFlappingEndpointIsRetriedAroundSoNoClientSeesItsFailures() {
        Backend flapping = mesh.backend("backend-a").answering(n -> n % 2 == 0
                ? new Backend.Answer(503, "flap", Duration.ZERO, Map.of()) : Backend.Answer.ok("backend-a"));
        mesh.backend("backend-b");
        mesh.apply(retrying("retryOn: gateway-error"));

        assertThat(statuses(20)).containsOnly(200);
        assertThat(flapping.received()).hasSizeGreaterThan(5);
        mesh.awaitLog("\"response_code\":200", "\"response_flags\":\"-\"");
    }

    @Test
    void retriable4xxRetriesAConflict() {
        mesh.backend("backend-a").answering(n -> new Backend.Answer(409, "conflict", Duration.ZERO, Map.of()));
        mesh.backend("backend-b");
        mesh.apply(retrying("retryOn: retriable-4xx"));

        assertThat(statuses(10)).containsOnly(200);
    }

    @Test
    void connectFailureRetriesAnEndpointThatRefusesConnections() {
        Backend closed = mesh.backend("backend-a");
        closed.close();
        mesh.backend("backend-b");
        mesh.apply(retrying("retryOn: connect-failure"));

        assertThat(statuses(10)).containsOnly(200);
        mesh.awaitLog("\"response_code\":200", "\"upstream_host\":\"" + mesh.hostOf("backend-b") + "\"");
    }

    @Test
    void aPerTryTimeoutIsRetriedOn5xxButNotOnConnectFailure() {
        mesh.backend("backend-a").answering(n -> new Backend.Answer(200, "slow", Duration.ofSeconds(2), Map.of()));
        mesh.backend("backend-b");
        mesh.apply(retrying("perTryTimeout: 200ms\n      retryOn: connect-failure"));
        List<Integer> onConnectFailure = statuses(4);
        mesh.apply(retrying("perTryTimeout: 200ms\n      retryOn: 5xx"));
        List<Integer> on5xx = statuses(4);

        assertThat(onConnectFailure).containsExactlyInAnyOrder(200, 200, 504, 504);
        assertThat(on5xx).containsOnly(200);
    }

    private String retrying(String settings) {
        return vs("""
                  - route:
                    - destination:
                        host: backend
                    retries:
                      attempts: 2
                      %s
                """.formatted(settings));
    }

    private List<Integer> statuses(int n) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            statuses.add(mesh.client().get("api.example.com", "/").statusCode());
        }
        return statuses;
    }

    private List<HttpResponse<String>> parallel(int n) throws Exception {
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> mesh.client().get("api.example.com", "/")));
            }
        }
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (Future<HttpResponse<String>> f : futures) {
            responses.add(f.get());
        }
        return responses;
    }

    /** A DestinationRule for backend with this connectionPool body. */
    private static String pool(String connectionPool) {
        return """
                ---
                apiVersion: networking.istio.io/v1alpha3
                kind: DestinationRule
                metadata:
                  name: backend
                spec:
                  host: backend
                  trafficPolicy:
                    connectionPool:
                      %s
                """.formatted(connectionPool);
    }
}
