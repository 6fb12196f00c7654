package dev.meshpilot.policy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.CompileResult;
import dev.meshpilot.policy.MeshCompiler;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.RouteDecision;
import dev.meshpilot.policy.security.AuthzRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmarks measure real decisions: the generated configurations compile and decide as expected. */
class MeshGeneratorTest {
    @Test
    void largeGatewayConfigRoutesToTheLastRuleOfTheRightVirtualService() {
        var snapshot = DecisionBenchmark.compile(List.of(MeshGenerator.gatewayRoutes(200, 10)));
        RouteDecision d = snapshot.route(ProxyRef.ingressGateway(), new RequestAttributes("GET", "svc-77.example.com",
                "/api/x", 80, Map.of("x-rule", List.of("9"))));
        assertThat(d.virtualService()).isEqualTo("default/vs-77");
        assertThat(d.rule()).isEqualTo(9);
    }

    @Test
    void policiesAllowTheirClientAndDenyOthers() {
        var snapshot = DecisionBenchmark.compile(List.of(MeshGenerator.policies(100)));
        AuthzRequest ok = new AuthzRequest("cluster.local/ns/default/sa/client-1", "default", null, "svc-1", "GET",
                "/api/1/x", 8080, Map.of(), Map.of());
        assertThat(snapshot.authorize("default", Map.of("app", "svc-1"), ok).policy()).isEqualTo("default/p-1");
        AuthzRequest other = new AuthzRequest("cluster.local/ns/default/sa/client-2", "default", null, "svc-1", "GET",
                "/api/1/x", 8080, Map.of(), Map.of());
        assertThat(snapshot.authorize("default", Map.of("app", "svc-1"), other).allowed()).isFalse();
    }

    @Test
    void tenThousandResourcesCompileWithoutFindings() {
        CompileResult result = MeshCompiler.compile("t", MeshGenerator.mixed(10_000));
        assertThat(result.findings()).isEmpty();
        assertThat(result.snapshot().workloads()).hasSize(2500);
    }
}
