package dev.meshpilot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.RouteDecision;
import dev.meshpilot.policy.route.TrafficPolicy;
import dev.meshpilot.policy.route.WeightedDestination;
import dev.meshpilot.policy.security.AuthzRequest;
import dev.meshpilot.policy.security.JwtRule;
import dev.meshpilot.policy.security.MtlsMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Istio-style sample configurations (src/test/resources/samples, the shapes of Istio's task pages) parse and analyze
 * without errors, and each one drives a few decisions. Every sample is compiled with the bookinfo-like workloads.
 */
class IstioSamplesTest {
    static final String REVIEWS = "reviews.shop.svc.cluster.local";
    static final String PRODUCTPAGE = "productpage.shop.svc.cluster.local";
    static final ProxyRef PRODUCTPAGE_PROXY = ProxyRef.sidecar("shop", "productpage-v1",
            Map.of("app", "productpage", "version", "v1"), "bookinfo-productpage");

    static SourceFile sample(String name) {
        try (InputStream in = IstioSamplesTest.class.getResourceAsStream("/samples/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return new SourceFile("samples/" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MeshSnapshot compileWithWorkloads(String name) {
        List<SourceFile> files = name.equals("bookinfo-workloads.yaml") ? List.of(sample(name))
                : List.of(sample("bookinfo-workloads.yaml"), sample(name));
        CompileResult result = MeshCompiler.compile("samples", files);
        assertThat(result.findings()).as(name).noneMatch(f -> f.severity() == Severity.ERROR);
        assertThat(result.findings()).as(name + ": no warnings either").isEmpty();
        return result.snapshot();
    }

    static RouteDecision fromProductpage(MeshSnapshot s, String authority, Map<String, List<String>> headers) {
        return s.route(PRODUCTPAGE_PROXY, new RequestAttributes("GET", authority, "/", 9080, headers));
    }

    @Test
    void everySampleTogetherAnalyzesWithoutFindings() {
        List<SourceFile> all = List.of(sample("bookinfo-workloads.yaml"), sample("bookinfo-routing.yaml"),
                sample("traffic-policies.yaml"), sample("egress.yaml"), sample("security.yaml"));
        CompileResult result = MeshCompiler.compile("samples", all);
        assertThat(result.findings()).isEmpty();
        assertThat(result.snapshot().workloads()).hasSize(6);
    }

    @Test
    void workloadsSampleResolvesServicesToDeployments() {
        MeshSnapshot s = compileWithWorkloads("bookinfo-workloads.yaml");
        assertThat(s.resolve(REVIEWS, null, 9080)).hasValueSatisfying(d -> {
            assertThat(d.selector()).isEqualTo(Map.of("app", "reviews"));
            assertThat(d.targetPort()).isEqualTo(9080);
        });
        assertThat(fromProductpage(s, "reviews:9080", Map.of()).rule()).as("default route").isEqualTo(-1);
    }

    @Test
    void routingSampleRoutesByHeaderSplitsAndRetries() {
        MeshSnapshot s = compileWithWorkloads("bookinfo-routing.yaml");
        RouteDecision jason = fromProductpage(s, "reviews:9080", Map.of("end-user", List.of("jason")));
        assertThat(jason.destinations()).extracting(WeightedDestination::subset).containsExactly("v2");
        RouteDecision others = fromProductpage(s, "reviews:9080", Map.of());
        assertThat(others.destinations()).extracting(WeightedDestination::subset, WeightedDestination::weight)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("v1", 50), org.assertj.core.groups.Tuple.tuple("v3", 50));
        assertThat(others.retries().attempts()).isEqualTo(3);
        assertThat(others.retries().perTryTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(others.timeout()).isEqualTo(Duration.ofSeconds(6));
        assertThat(fromProductpage(s, "ratings:9080", Map.of("end-user", List.of("test-7"))).rule()).isEqualTo(1);
        RouteDecision api = s.route(ProxyRef.ingressGateway(), new RequestAttributes("GET", "shop.example.com",
                "/api/v1/products", 80, Map.of()));
        assertThat(api.virtualService()).isEqualTo("shop/productpage");
        assertThat(api.rule()).isEqualTo(1);
        assertThat(s.routeConnection(PRODUCTPAGE_PROXY, "details", 9091, null).destinations())
                .extracting(WeightedDestination::port).containsExactly(9091);
    }

    @Test
    void trafficPolicySampleAppliesPortSubsetAndRootNamespaceRules() {
        MeshSnapshot s = compileWithWorkloads("traffic-policies.yaml");
        TrafficPolicy port = s.trafficPolicy("shop", PRODUCTPAGE, null, 9080);
        assertThat(port.loadBalancer()).isEqualTo("LEAST_REQUEST");
        assertThat(port.outlierDetection().consecutive5xxErrors()).isEqualTo(5);
        assertThat(port.connectionPool().maxConnections()).isEqualTo(100);
        TrafficPolicy v1 = s.trafficPolicy("shop", PRODUCTPAGE, "v1", 9080);
        assertThat(v1.loadBalancer()).isEqualTo("ROUND_ROBIN");
        assertThat(v1.connectionPool().maxConnections()).isEqualTo(10);
        assertThat(v1.consistentHash()).as("the subset's simple replaces the load balancer whole").isNull();
        assertThat(s.trafficPolicy("shop", PRODUCTPAGE, null, 8080).consistentHash())
                .isEqualTo(new TrafficPolicy.ConsistentHash("httpCookie", "user", Duration.ZERO));
        assertThat(s.trafficPolicy("shop", REVIEWS, null, 9080).tlsMode()).as("root namespace rule").isEqualTo("ISTIO_MUTUAL");
    }

    @Test
    void egressSampleBlocksUnregisteredHostsAndPassesTlsBySni() {
        MeshSnapshot s = compileWithWorkloads("egress.yaml");
        Map<String, String> labels = PRODUCTPAGE_PROXY.labels();
        assertThat(s.egress("shop", labels, "ifconfig.co", 443).reason())
                .isEqualTo("REGISTRY_ONLY: ifconfig.co is not in the service registry (Sidecar shop/default)");
        assertThat(s.egress("shop", labels, "api.payments.example", 443).allowed()).isTrue();
        assertThat(s.egress("shop", labels, "legacy-db.internal", 5432).allowed()).isTrue();
        assertThat(s.routeConnection(PRODUCTPAGE_PROXY, "api.payments.example", 443, "api.payments.example").virtualService())
                .isEqualTo("shop/payments-passthrough");
        RouteDecision secure = s.routeConnection(ProxyRef.ingressGateway(), "secure.example.com", 443, "secure.example.com");
        assertThat(secure.destinations()).extracting(WeightedDestination::host).containsExactly(PRODUCTPAGE);
    }

    @Test
    void securitySampleDecidesMtlsJwtAndAuthorization() {
        MeshSnapshot s = compileWithWorkloads("security.yaml");
        Map<String, String> details = Map.of("app", "details", "version", "v1");
        assertThat(s.mtlsMode("shop", details, 9091)).isEqualTo(MtlsMode.PERMISSIVE);
        assertThat(s.mtlsMode("shop", details, 9080)).isEqualTo(MtlsMode.STRICT);
        assertThat(s.mtlsMode("shop", Map.of("app", "ratings"), 9080)).as("mesh-wide").isEqualTo(MtlsMode.STRICT);
        assertThat(s.jwtRules("shop", PRODUCTPAGE_PROXY.labels())).singleElement()
                .satisfies(r -> {
                    assertThat(r.jwksUri()).isEqualTo("https://accounts.example.com/.well-known/jwks.json");
                    assertThat(r.tokenHeaders()).containsExactly(new JwtRule.TokenHeader("x-jwt-assertion", "Bearer "));
                    assertThat(r.tokenParams()).as("fromHeaders alone: no query parameter").isEmpty();
                });
        Map<String, String> reviews = Map.of("app", "reviews", "version", "v2");
        String principal = "cluster.local/ns/shop/sa/bookinfo-productpage";
        assertThat(s.authorize("shop", reviews, request(principal, "shop", "GET", "/reviews/1", "gold")).allowed()).isTrue();
        assertThat(s.authorize("shop", reviews, request(principal, "shop", "GET", "/reviews/1", "bronze")).allowed()).isFalse();
        assertThat(s.authorize("shop", reviews, request(principal, "shop", "POST", "/reviews/1", "gold")).allowed()).isFalse();
        var admin = s.authorize("shop", reviews, request(principal, "shop", "GET", "/admin/users", "gold"));
        assertThat(admin.allowed()).isFalse();
        assertThat(admin.policy()).isEqualTo("shop/deny-admin");
        var stranger = s.authorize("shop", Map.of("app", "ratings"),
                request("cluster.local/ns/web/sa/default", "web", "GET", "/ratings/1", "gold"));
        assertThat(stranger.action()).isEqualTo("DENY");
    }

    static AuthzRequest request(String principal, String ns, String method, String path, String tier) {
        return new AuthzRequest(principal, ns, null, "reviews", method, path, 9080,
                Map.of("x-shop-tier", List.of(tier)), Map.of());
    }
}
