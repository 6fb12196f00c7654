package dev.meshpilot.policy.bench;

import dev.meshpilot.policy.CompileResult;
import dev.meshpilot.policy.MeshCompiler;
import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.RouteDecision;
import dev.meshpilot.policy.security.AuthorizationDecision;
import dev.meshpilot.policy.security.AuthzRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Route decision on a gateway with 1,000 VirtualServices and 10,000 rules (the request matches the last
 * rule of its VirtualService), and authorization of a workload among 1,000 policies. Sample time: the
 * report's p0.50 is the median.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecisionBenchmark {
    private MeshSnapshot routes;
    private MeshSnapshot policies;
    private final ProxyRef gateway = ProxyRef.ingressGateway();
    private final RequestAttributes request = new RequestAttributes("GET", "svc-777.example.com", "/api/items?page=2",
            80, Map.of("x-rule", List.of("9"), "user-agent", List.of("bench")));
    private final AuthzRequest authz = new AuthzRequest("cluster.local/ns/default/sa/client-1", "default", "10.0.0.1",
            "svc-1", "GET", "/api/1/items", 8080, Map.of(), Map.of());
    private final Map<String, String> workload = Map.of("app", "svc-1", "version", "v1");

    @Setup
    public void setUp() {
        routes = compile(List.of(MeshGenerator.gatewayRoutes(1000, 10)));
        policies = compile(List.of(MeshGenerator.policies(1000)));
    }

    static MeshSnapshot compile(List<dev.meshpilot.policy.SourceFile> files) {
        CompileResult result = MeshCompiler.compile("bench", files);
        if (result.snapshot() == null) {
            throw new IllegalStateException("rejected: " + result.errors());
        }
        return result.snapshot();
    }

    @Benchmark
    public RouteDecision gatewayRoute() {
        return routes.route(gateway, request);
    }

    @Benchmark
    public AuthorizationDecision authorize() {
        return policies.authorize("default", workload, authz);
    }
}
