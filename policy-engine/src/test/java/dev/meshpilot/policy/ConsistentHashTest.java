package dev.meshpilot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.route.TrafficPolicy;
import dev.meshpilot.policy.route.TrafficPolicy.ConsistentHash;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DestinationRule loadBalancer.consistentHash: parsed, validated, overridden together with loadBalancer.simple. */
class ConsistentHashTest {
    static CompileResult compile(String loadBalancer, String subsetLoadBalancer) {
        return MeshCompiler.compile("t", List.of(new SourceFile("t.yaml", """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: cart, namespace: shop}
                spec:
                  host: cart
                  trafficPolicy:
                    loadBalancer: %s
                  subsets:
                  - name: v1
                    labels: {version: v1}
                    trafficPolicy:
                      loadBalancer: %s
                """.formatted(loadBalancer, subsetLoadBalancer))));
    }

    static TrafficPolicy policy(CompileResult r, String subset) {
        assertThat(r.errors()).isEmpty();
        return r.snapshot().trafficPolicy("shop", "cart.shop.svc.cluster.local", subset, 80);
    }

    @Test
    void hashesOnAHeaderTheSourceIpOrAQueryParameter() {
        CompileResult r = compile("{consistentHash: {httpHeaderName: X-User}}", "{consistentHash: {useSourceIp: true}}");
        assertThat(policy(r, null).consistentHash()).isEqualTo(new ConsistentHash("httpHeaderName", "x-user", null));
        assertThat(policy(r, null).loadBalancer()).isNull();
        assertThat(policy(r, "v1").consistentHash()).isEqualTo(new ConsistentHash("useSourceIp", null, null));
        CompileResult q = compile("{consistentHash: {httpQueryParameterName: session}}", "{}");
        assertThat(policy(q, "v1").consistentHash()).isEqualTo(new ConsistentHash("httpQueryParameterName", "session", null));
    }

    @Test
    void aSubsetSimpleBalancerReplacesTheRuleConsistentHash() {
        CompileResult r = compile("{consistentHash: {httpCookie: {name: user, ttl: 60s}}}", "{simple: RANDOM}");
        assertThat(policy(r, null).consistentHash().ttl()).hasSeconds(60);
        assertThat(policy(r, "v1").consistentHash()).isNull();
        assertThat(policy(r, "v1").loadBalancer()).isEqualTo("RANDOM");
    }

    @Test
    void consistentHashWithoutAKeyOrBesideSimpleIsAnError() {
        assertThat(compile("{consistentHash: {minimumRingSize: 1024}}", "{}").errors())
                .extracting(Finding::code).containsExactly("MP0102");
        assertThat(compile("{simple: RANDOM, consistentHash: {useSourceIp: true}}", "{}").errors())
                .extracting(Finding::message)
                .containsExactly("loadBalancer: simple and consistentHash (expected: one of them)");
        assertThat(compile("{consistentHash: {httpCookie: {ttl: 10s}}}", "{}").errors())
                .extracting(Finding::code).containsExactly("MP0102");
    }
}
