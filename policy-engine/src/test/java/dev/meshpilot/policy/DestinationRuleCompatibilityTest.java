package dev.meshpilot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.cli.PolicyCli;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.ResolvedDestination;
import dev.meshpilot.policy.route.WeightedDestination;
import dev.meshpilot.policy.workload.WorkloadSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Istio 1.0–1.4 applied DestinationRules mesh-wide; the tutorial's helloworld-tls.yaml relies on it (rules in
 * {@code default} for hosts in ns1 and legacy, used by the gateway). When Istio's lookup (client ns → service ns → root)
 * finds no rule, a rule exported to the client from another namespace applies, with a warning.
 */
class DestinationRuleCompatibilityTest {
    static final String HELLO = "hello.ns1.svc.cluster.local";
    final MeshSnapshot tls = Seed.compile(Seed.files("helloworld-tls.yaml"));

    @Test
    void theGatewayResolvesTheTutorialsSubsetToTheHelloTlsWorkload() {
        var route = tls.route(ProxyRef.ingressGateway(), RequestAttributes.of("GET", "hello-tls.example.com", "/", 80));
        assertThat(route.destinations()).containsExactly(new WeightedDestination(HELLO, "v1-tls", 8080, 100));
        ResolvedDestination resolved = tls.resolve("istio-system", HELLO, "v1-tls", 8080).orElseThrow();
        assertThat(resolved).isEqualTo(new ResolvedDestination("ns1", "hello",
                Map.of("app", "hello", "version", "v1-tls"), 8080));
        assertThat(tls.workloads().stream().filter(w -> w.namespace().equals("ns1") && resolved.selects(w.labels()))
                .map(WorkloadSpec::name)).containsExactly("hello-tls");
        assertThat(tls.trafficPolicy("istio-system", HELLO, "v1-tls", 8080).tlsMode())
                .as("the rule lends its subset only: its TLS mode stays where Istio 1.5+ applies it").isNull();
        assertThat(tls.trafficPolicy("ns1", HELLO, "v1-tls", 8080).tlsMode()).isNull();
        assertThat(tls.trafficPolicy("default", HELLO, "v1-tls", 8080).tlsMode()).isEqualTo("ISTIO_MUTUAL");
    }

    @Test
    void theAnalyzerTellsHowToKeepTheTutorialWorkingOnIstio15() {
        List<Finding> found = MeshCompiler.compile("v", Seed.files("helloworld-tls.yaml")).findings().stream()
                .filter(f -> f.code().equals("MP0214")).toList();
        assertThat(found).hasSize(2);
        assertThat(found.get(1).message()).contains("DestinationRule default/hello-reverse")
                .contains("move the rule to namespace legacy or istio-system");
        assertThat(found.get(0).toString()).startsWith("helloworld-tls.yaml:").contains(
                "VirtualService default/helloworld-tls: spec.http[0].route[0].destination.subset: subset \"v1-tls\" of "
                        + HELLO + " comes from DestinationRule default/hello, which Istio 1.5+ does not apply to clients "
                        + "in namespace istio-system").endsWith("move the rule to namespace ns1 or istio-system to keep "
                        + "this route working on Istio 1.5+");
    }

    @Test
    void aTrafficPolicyOfARuleIstioWouldNotApplyIsReportedWithTheClientNamespacesItMisses() {
        List<Finding> found = MeshCompiler.compile("v", Seed.files("helloworld-tls.yaml")).findings().stream()
                .filter(f -> f.code().equals("MP0215")).toList();
        assertThat(found).extracting(Finding::resource).containsExactly("DestinationRule default/hello",
                "DestinationRule default/hello-reverse");
        assertThat(found.get(0).toString()).startsWith("helloworld-tls.yaml:").contains(" DestinationRule default/hello: "
                + "spec.host: its trafficPolicy does not apply to " + HELLO + " for clients in namespaces istio-system, "
                + "ns1, ns2: Istio 1.5+ uses a rule of the client's namespace")
                .endsWith("move it to namespace ns1 or istio-system for it to apply");
        String moved = Seed.file("helloworld-tls.yaml").content().replace("  name: hello\nspec:",
                "  name: hello\n  namespace: ns1\nspec:");
        assertThat(MeshCompiler.compile("v", List.of(new SourceFile("tls.yaml", moved))).findings())
                .noneMatch(f -> f.message().contains("DestinationRule default/hello ") || f.resource().equals(
                        "DestinationRule ns1/hello") && f.severity() == Severity.WARNING);
    }

    static final String BACKEND = ClientNamespaceSubsetTest.BACKEND;

    static String rule(String namespace, String name, String host, String version) {
        return "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: " + name + ", namespace: "
                + namespace + "}\nspec:\n  host: \"" + host + "\"\n  subsets: [{name: v2, labels: {version: " + version
                + "}}]\n---\n";
    }

    static MeshSnapshot compile(String yaml) {
        return Seed.compile(List.of(new SourceFile("c.yaml", yaml)));
    }

    static final String API = "api.back.svc.cluster.local";

    @Test
    void istiosLookupKeepsPrecedenceOverTheFallback() {
        String serviceNsRule = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: api, "
                + "namespace: back}\nspec:\n  host: " + API + "\n  trafficPolicy: {tls: {mode: DISABLE}}\n---\n";
        MeshSnapshot s = compile(BACKEND + rule("other", "api", API, "v2") + serviceNsRule);
        assertThat(s.resolve("front", API, "v2", 8080)).isEmpty();
        assertThat(s.trafficPolicy("front", API, null, 8080).tlsMode()).isEqualTo("DISABLE");
    }

    @Test
    void anExactHostBeatsAWildcardThenTheOldestRuleWins() {
        MeshSnapshot s = compile(BACKEND + rule("a", "wild", "*.back.svc.cluster.local", "wild")
                + rule("b", "exact", API, "exact-b") + rule("c", "exact", API, "exact-c"));
        assertThat(s.resolve("front", API, "v2", 8080).orElseThrow().selector()).containsEntry("version", "exact-b");
        MeshSnapshot wildcards = compile(BACKEND + rule("a", "wide", "*.svc.cluster.local", "wide")
                + rule("b", "narrow", "*.back.svc.cluster.local", "narrow"));
        assertThat(wildcards.resolve("front", API, "v2", 8080).orElseThrow().selector()).containsEntry("version", "narrow");
    }

    @Test
    void aRuleNotExportedToTheClientIsNeverTheFallback() {
        MeshSnapshot s = compile(BACKEND + rule("other", "api", API, "v2").replace("spec:\n", "spec:\n  exportTo: [back]\n"));
        assertThat(s.resolve("front", API, "v2", 8080)).isEmpty();
        assertThat(s.resolve("back", API, "v2", 8080)).isPresent();
    }

    @Test
    void aServiceEntrySubsetUsesTheFallbackToo() {
        MeshSnapshot s = compile("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: ext, namespace: egress}
                spec:
                  hosts: [ext.example.com]
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints: [{address: 10.0.0.1, labels: {version: v2}}, {address: 10.0.0.2, labels: {version: v1}}]
                ---
                """ + rule("other", "ext", "ext.example.com", "v2"));
        assertThat(s.resolveExternal("front", "ext.example.com", "v2", 80).orElseThrow().targets())
                .extracting(t -> t.address()).containsExactly("10.0.0.1");
    }

    @Test
    void simulateRoutesTheTutorialsGatewayRequestAndWarns(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tls.yaml"), Seed.file("helloworld-tls.yaml").content());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = PolicyCli.run(new String[] {"simulate", "--config", dir.toString(), "--gateway",
                "default/helloworld-gateway", "GET", "http://hello-tls.example.com/"},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).isZero();
        assertThat(text).contains("→ " + HELLO + " subset v1-tls port 8080 weight 100%").doesNotContain("503")
                .contains("warning: DestinationRule default/hello applies to " + HELLO + " for clients in istio-system "
                        + "only as in Istio 1.0–1.4");
    }
}
