package dev.meshpilot.proxy.route;

import static dev.meshpilot.proxy.route.RouteActionsTest.vs;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A DestinationRule's loadBalancer at the ingress gateway, against three real backends. */
class LoadBalancingTest {

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
    void roundRobinIsTheDefaultAndSpreadsEvenly() {
        threeBackends();
        mesh.apply(ROUTE);

        Map<String, Long> counts = countBodies(30, i -> Map.of());

        assertThat(counts).containsOnly(Map.entry("backend-a", 10L), Map.entry("backend-b", 10L),
                Map.entry("backend-c", 10L));
    }

    @Test
    void randomReachesEveryEndpoint() {
        threeBackends();
        mesh.apply(ROUTE + rule("simple: RANDOM"));

        Map<String, Long> counts = countBodies(150, i -> Map.of());

        assertThat(counts).containsOnlyKeys("backend-a", "backend-b", "backend-c");
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isGreaterThan(20));
    }

    @Test
    void leastRequestSendsFewRequestsToTheSlowBusyEndpoint() throws Exception {
        Backend slow = mesh.backend("backend-a").answering(n -> new Backend.Answer(200, "slow", Duration.ofMillis(600),
                Map.of()));
        mesh.backend("backend-b");
        mesh.backend("backend-c");
        mesh.apply(ROUTE + rule("simple: LEAST_REQUEST"));

        try (ExecutorService pool = Executors.newFixedThreadPool(6, Thread.ofVirtual().factory())) {
            for (int i = 0; i < 60; i++) {
                pool.submit(() -> assertThat(mesh.client().get("api.example.com", "/").statusCode()).isEqualTo(200));
            }
        }

        assertThat(slow.received().size()).as("requests to the slow endpoint of 60").isLessThan(12);
    }

    @Test
    void consistentHashByHeaderKeepsAKeyOnOneEndpointAndSpreadsKeys() {
        threeBackends();
        mesh.apply(ROUTE + rule("""
                consistentHash:
                          httpHeaderName: x-user"""));

        Map<String, Long> oneUser = countBodies(20, i -> Map.of("x-user", "alice"));
        Set<String> endpointsOfManyUsers = new HashSet<>(countBodies(60, i -> Map.of("x-user", "user-" + i)).keySet());

        assertThat(oneUser).hasSize(1);
        assertThat(endpointsOfManyUsers).hasSize(3);
    }

    @Test
    void consistentHashMovesOnlyTheKeysOfAnEndpointThatLeaves() {
        threeBackends();
        mesh.backend("backend-d");
        mesh.apply(ROUTE + rule("""
                consistentHash:
                          httpQueryParameterName: user"""));
        Map<String, String> before = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            before.put("u" + i, mesh.client().get("api.example.com", "/?user=u" + i).body());
        }

        mesh.deregister("backend-b");
        Map<String, String> after = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            after.put("u" + i, mesh.client().get("api.example.com", "/?user=u" + i).body());
        }

        assertThat(before).containsValue("backend-b");
        assertThat(after).doesNotContainValue("backend-b");
        before.forEach((user, endpoint) -> {
            if (!endpoint.equals("backend-b")) {
                assertThat(after.get(user)).as(user).isEqualTo(endpoint);
            }
        });
    }

    @Test
    void httpCookieWithTtlIsGeneratedAndThenSticks() {
        threeBackends();
        mesh.apply(ROUTE + rule("""
                consistentHash:
                          httpCookie:
                            name: session
                            ttl: 60s"""));

        HttpResponse<String> first = mesh.client().get("api.example.com", "/");
        String setCookie = first.headers().firstValue("set-cookie").orElseThrow();
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        Map<String, Long> next = countBodies(15, i -> Map.of("Cookie", cookie));

        assertThat(setCookie).matches("session=\"[0-9a-f]{16}\"; Max-Age=60; HttpOnly");
        assertThat(next).containsOnlyKeys(first.body());
    }

    @Test
    void useSourceIpKeepsOneClientOnOneEndpoint() {
        threeBackends();
        mesh.apply(ROUTE + rule("""
                consistentHash:
                          useSourceIp: true"""));

        assertThat(countBodies(30, i -> Map.of())).hasSize(1);
    }

    @Test
    void aRetryOfAHashedRequestGoesToTheNextEndpointOnTheRing() {
        threeBackends().forEach(b -> b.answering(n -> new Backend.Answer(503, b.name() + " down", Duration.ZERO,
                Map.of())));
        mesh.backend("backend-d");
        mesh.apply(vs("""
                  - route:
                    - destination:
                        host: backend
                    retries:
                      attempts: 3
                      retryOn: 5xx
                """) + rule("""
                consistentHash:
                          httpHeaderName: x-user"""));

        Map<String, Long> counts = countBodies(20, i -> Map.of("x-user", "user-" + i));

        assertThat(counts).containsOnlyKeys("backend-d");
    }

    private List<Backend> threeBackends() {
        return List.of(mesh.backend("backend-a"), mesh.backend("backend-b"), mesh.backend("backend-c"));
    }

    /** The bodies (endpoint names) of {@code n} sequential requests, counted. */
    private Map<String, Long> countBodies(int n, Function<Integer, Map<String, String>> headers) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> {
                    HttpResponse<String> r = mesh.client().get("api.example.com", "/", headers.apply(i));
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    return r.body();
                })
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    /** A DestinationRule for backend with this loadBalancer body. */
    static String rule(String loadBalancer) {
        return """
                ---
                apiVersion: networking.istio.io/v1alpha3
                kind: DestinationRule
                metadata:
                  name: backend
                spec:
                  host: backend
                  trafficPolicy:
                    loadBalancer:
                      %s
                """.formatted(loadBalancer);
    }
}
