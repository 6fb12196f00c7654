package dev.meshpilot.proxy.route;

import static dev.meshpilot.proxy.route.RouteActionsTest.vs;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A gateway route to a ServiceEntry host with listed endpoints (resolution STATIC and DNS). */
class ServiceEntryEndpointsTest {

    private final GatewayHarness mesh = new GatewayHarness();
    private final Backend a = mesh.externalBackend("payments-a");
    private final Backend b = mesh.externalBackend("payments-b");

    @AfterEach
    void stop() {
        mesh.close();
    }

    @Test
    void staticEndpointsShareTheRequestsAtTheirOwnPorts() {
        mesh.apply(route("") + serviceEntry("STATIC", "127.0.0.1"));

        Map<String, Long> counts = bodies(20);

        assertThat(counts).containsOnly(Map.entry("payments-a", 10L), Map.entry("payments-b", 10L));
        mesh.awaitLog("\"upstream_cluster\":\"outbound|80||payments.external\"",
                "\"upstream_host\":\"127.0.0.1:" + b.address().getPort() + "\"");
    }

    @Test
    void aSubsetSelectsTheEndpointsWithItsLabels() {
        mesh.apply(route("subset: b") + serviceEntry("STATIC", "127.0.0.1") + """
                ---
                apiVersion: networking.istio.io/v1alpha3
                kind: DestinationRule
                metadata:
                  name: payments
                spec:
                  host: payments.external
                  subsets:
                  - name: b
                    labels:
                      version: b
                """);

        assertThat(bodies(10)).containsOnlyKeys("payments-b");
    }

    @Test
    void aRefusingEndpointIsRetriedOnTheOther() {
        a.close();
        mesh.apply(route("") + serviceEntry("STATIC", "127.0.0.1"));

        assertThat(bodies(10)).containsOnly(Map.entry("payments-b", 10L));
    }

    @Test
    void dnsEndpointsAreResolvedByName() {
        mesh.apply(route("") + serviceEntry("DNS", "localhost"));

        assertThat(bodies(10)).containsOnlyKeys("payments-a", "payments-b");
    }

    @Test
    void aWorkloadSelectorPicksMeshWorkloads() {
        mesh.backend("backend-x");
        mesh.apply(vs("""
                  - route:
                    - destination:
                        host: legacy.internal
                """) + """
                ---
                apiVersion: networking.istio.io/v1alpha3
                kind: ServiceEntry
                metadata:
                  name: legacy
                spec:
                  hosts:
                  - legacy.internal
                  ports:
                  - number: 80
                    name: http
                    protocol: HTTP
                  resolution: STATIC
                  location: MESH_INTERNAL
                  workloadSelector:
                    labels:
                      app: backend
                """);

        assertThat(bodies(4)).containsOnly(Map.entry("backend-x", 4L));
        mesh.awaitLog("\"upstream_cluster\":\"outbound|80||legacy.internal\"");
    }

    private Map<String, Long> bodies(int n) {
        return IntStream.range(0, n).mapToObj(i -> {
            HttpResponse<String> r = mesh.client().get("api.example.com", "/pay");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return r.body();
        }).collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private static String route(String subset) {
        return vs("""
                  - route:
                    - destination:
                        host: payments.external
                        %s
                """.formatted(subset)) + "---\n";
    }

    private String serviceEntry(String resolution, String address) {
        return """
                apiVersion: networking.istio.io/v1alpha3
                kind: ServiceEntry
                metadata:
                  name: payments
                spec:
                  hosts:
                  - payments.external
                  ports:
                  - number: 80
                    name: http
                    protocol: HTTP
                  resolution: %s
                  location: MESH_EXTERNAL
                  endpoints:
                  - address: %s
                    ports:
                      http: %d
                    labels:
                      version: a
                  - address: %s
                    ports:
                      http: %d
                    labels:
                      version: b
                """.formatted(resolution, address, a.address().getPort(), address, b.address().getPort());
    }

}
