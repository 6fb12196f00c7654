package dev.meshpilot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Several DestinationRules for one host in one namespace are merged as Istio does. */
class DestinationRuleMergeTest {
    static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: hello, namespace: default}
            spec: {selector: {app: hello}, ports: [{port: 8080}]}
            ---
            """;

    static String rule(String name, String lb, String... subsets) {
        StringBuilder b = new StringBuilder("apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: "
                + name + ", namespace: default}\nspec:\n  host: hello\n");
        if (lb != null) {
            b.append("  trafficPolicy: {loadBalancer: {simple: ").append(lb).append("}}\n");
        }
        b.append("  subsets:\n");
        for (String s : subsets) {
            String[] kv = s.split("=");
            b.append("  - name: ").append(kv[0]).append("\n    labels: {version: ").append(kv[1]).append("}\n");
        }
        return b.append("---\n").toString();
    }

    static CompileResult compile(String yaml) {
        return MeshCompiler.compile("v", List.of(new SourceFile("dr.yaml", SERVICE + yaml)));
    }

    @Test
    void subsetsOfBothRulesAreUsableAndTheFirstTrafficPolicyApplies() {
        MeshSnapshot s = compile(rule("hello-a", "LEAST_REQUEST", "v1=v1") + rule("hello-b", "RANDOM", "v2=v2")).snapshot();
        String host = "hello.default.svc.cluster.local";
        assertThat(s.resolve("default", host, "v2", 8080).orElseThrow().selector()).isEqualTo(Map.of("app", "hello", "version", "v2"));
        assertThat(s.resolve("other", host, "v1", 8080)).isPresent();
        assertThat(s.trafficPolicy("default", host, "v2", 8080).loadBalancer()).isEqualTo("LEAST_REQUEST");
        assertThat(s.trafficPolicy(host, "v2", 8080).loadBalancer()).isEqualTo("LEAST_REQUEST");
    }

    @Test
    void aLaterTrafficPolicyAppliesWhenTheFirstRuleSetsNone() {
        MeshSnapshot s = compile(rule("hello-a", null, "v1=v1") + rule("hello-b", "RANDOM", "v2=v2")).snapshot();
        assertThat(s.trafficPolicy("default", "hello.default.svc.cluster.local", "v1", 8080).loadBalancer()).isEqualTo("RANDOM");
    }

    @Test
    void aDuplicateSubsetKeepsTheFirstDefinitionAndSaysSo() {
        CompileResult r = compile(rule("hello-a", null, "v1=v1") + rule("hello-b", "RANDOM", "v1=other", "v2=v2"));
        assertThat(r.snapshot().resolve("default", "hello.default.svc.cluster.local", "v1", 8080).orElseThrow().selector())
                .containsEntry("version", "v1");
        assertThat(r.findings()).filteredOn(f -> f.code().equals("MP0213")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.toString()).isEqualTo("dr.yaml:22 DestinationRule default/hello-b: spec.subsets: subset \"v1\" is "
                    + "also defined by DestinationRule default/hello-a (dr.yaml:6) for host hello.default.svc.cluster.local: "
                    + "Istio keeps that first definition and ignores this one; rename or remove it");
        });
    }

    @Test
    void saysWhenASecondTrafficPolicyIsIgnored() {
        CompileResult r = compile(rule("hello-a", "LEAST_REQUEST", "v1=v1") + rule("hello-b", "RANDOM", "v2=v2"));
        assertThat(r.findings()).filteredOn(f -> f.code().equals("MP0209")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("so this rule's trafficPolicy is ignored"));
    }

    @Test
    void rulesWithDifferentExportToStaySeparate() {
        String hidden = rule("hello-b", null, "v2=v2").replace("  host: hello\n", "  host: hello\n  exportTo: [\".\"]\n");
        MeshSnapshot s = compile(rule("hello-a", null, "v1=v1") + hidden).snapshot();
        assertThat(s.resolve("other", "hello.default.svc.cluster.local", "v2", 8080)).isEmpty();
        assertThat(s.resolve("other", "hello.default.svc.cluster.local", "v1", 8080)).isPresent();
    }
}
