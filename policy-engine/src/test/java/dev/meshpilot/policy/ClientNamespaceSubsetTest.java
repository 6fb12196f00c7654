package dev.meshpilot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.cli.PolicyCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analyzers and simulate look DestinationRules up as the route's clients do: client ns → service ns → root. */
class ClientNamespaceSubsetTest {
    static final String BACKEND = """
            apiVersion: v1
            kind: Service
            metadata: {name: api, namespace: back}
            spec: {selector: {app: api}, ports: [{port: 8080}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api-v2, namespace: back}
            spec:
              selector: {matchLabels: {app: api}}
              template:
                metadata: {labels: {app: api, version: v2}}
                spec: {containers: [{name: api, image: wardviaene/http-echo}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: front}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: wardviaene/http-echo}]}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: api, namespace: front}
            spec:
              hosts: [api.back.svc.cluster.local]
              http:
              - route: [{destination: {host: api.back.svc.cluster.local, subset: v2}}]
            ---
            """;

    static String rule(String namespace, String subset) {
        return "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: api, namespace: " + namespace
                + "}\nspec:\n  host: api.back.svc.cluster.local\n  subsets: [{name: " + subset
                + ", labels: {version: " + subset + "}}]\n---\n";
    }

    static List<Finding> findings(String yaml) {
        return MeshCompiler.compile("v", List.of(new SourceFile("c.yaml", yaml))).findings();
    }

    static String privateRule(String namespace, String subset) {
        return rule(namespace, subset).replace("  host: api", "  exportTo: [.]\n  host: api");
    }

    @Test
    void aRuleInAThirdNamespaceIsUsedOnlyThroughTheIstio10CompatibilityFallbackWithAWarning() {
        List<Finding> found = findings(BACKEND + rule("other", "v2"));
        assertThat(found).extracting(Finding::code).containsExactly("MP0214");
        assertThat(found.get(0).severity()).isEqualTo(Severity.WARNING);
        assertThat(found.get(0).message()).startsWith("subset \"v2\" of api.back.svc.cluster.local comes from "
                + "DestinationRule other/api, which Istio 1.5+ does not apply to clients in namespace front")
                .endsWith("move the rule to namespace back or istio-system to keep this route working on Istio 1.5+");
    }

    @Test
    void aRuleInAThirdNamespaceNotExportedToTheClientsIsNotUsed() {
        List<Finding> found = findings(BACKEND + privateRule("other", "v2"));
        assertThat(found).extracting(Finding::code).containsExactly("MP0214");
        assertThat(found.get(0).message()).startsWith("subset \"v2\" of api.back.svc.cluster.local is defined by "
                + "DestinationRule other/api, but clients in namespace front use no DestinationRule for that host");
    }

    @Test
    void theClientNamespacesRuleHidesTheServiceNamespacesRule() {
        List<Finding> found = findings(BACKEND + rule("back", "v2") + rule("front", "v1"));
        assertThat(found).extracting(Finding::code).contains("MP0214");
        assertThat(found.stream().filter(f -> f.code().equals("MP0214")).findFirst().orElseThrow().message())
                .contains("clients in namespace front use DestinationRule front/api");
    }

    @Test
    void theServiceNamespacesRuleServesClientsElsewhere() {
        assertThat(findings(BACKEND + rule("back", "v2"))).isEmpty();
        assertThat(findings(BACKEND + rule("istio-system", "v2"))).isEmpty();
    }

    @Test
    void endpointsAreCheckedWithTheRuleTheClientsUse() {
        List<Finding> found = findings(BACKEND + rule("back", "v1").replace("version: v1", "version: v2") + rule("front", "v2")
                .replace("version: v2", "version: v9"));
        assertThat(found).extracting(Finding::code).containsExactly("MP0206");
        assertThat(found.get(0).message()).contains("version=v9");
    }

    @Test
    void simulateResolvesTheSubsetInTheCallersNamespace(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("c.yaml"), BACKEND + privateRule("other", "v2"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PolicyCli.run(new String[] {"simulate", "--config", dir.toString(), "--from", "front/web", "GET",
                "http://api.back.svc.cluster.local:8080/"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("503: subset v2 of api.back.svc.cluster.local is not "
                + "defined by the DestinationRule that clients in front use");
    }
}
