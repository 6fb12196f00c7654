package dev.meshpilot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.route.EgressDecision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sidecar outboundTrafficPolicy (ALLOW_ANY / REGISTRY_ONLY) and egress hosts as one egress decision. */
class EgressTest {
    static final String REGISTRY = """
            apiVersion: v1
            kind: Service
            metadata: {name: world, namespace: ns2}
            spec: {selector: {app: world}, ports: [{port: 8080}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: end, namespace: default}
            spec: {selector: {app: end}, ports: [{port: 8080}]}
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: partner, namespace: default}
            spec:
              hosts: [api.partner.com]
              location: MESH_EXTERNAL
              resolution: DNS
              ports: [{number: 443, name: tls, protocol: TLS}]
            ---
            """;
    static final Map<String, String> HELLO = Map.of("app", "hello");

    static SourceFile registryFile() {
        return new SourceFile("registry.yaml", REGISTRY);
    }

    static MeshSnapshot compile(String yaml) {
        return Seed.compile(List.of(new SourceFile("t.yaml", REGISTRY + yaml)));
    }

    static String sidecar(String name, String ns, String body) {
        return "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: " + name + ", namespace: " + ns
                + "}\nspec:\n" + body + "---\n";
    }

    static final String REGISTRY_ONLY = "  outboundTrafficPolicy: {mode: REGISTRY_ONLY}\n";

    @Test
    void withoutSidecarUnknownHostsPassThroughAsMeshDefaultAllowAny() {
        EgressDecision d = compile("").egress("default", HELLO, "ifconfig.co", 443);
        assertThat(d.allowed()).isTrue();
        assertThat(d.mode()).isEqualTo("ALLOW_ANY");
        assertThat(d.inRegistry()).isFalse();
        assertThat(d.sidecar()).isNull();
        assertThat(d.reason()).isEqualTo("ALLOW_ANY: ifconfig.co is not in the service registry (mesh default); passed through");
    }

    @Test
    void namespaceRegistryOnlyBlocksHostsOutsideTheRegistry() {
        MeshSnapshot s = compile(sidecar("default", "default", REGISTRY_ONLY));
        EgressDecision d = s.egress("default", HELLO, "ifconfig.co", 443);
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isEqualTo("REGISTRY_ONLY: ifconfig.co is not in the service registry (Sidecar default/default)");
        assertThat(s.egress("default", HELLO, "api.partner.com", 443).allowed()).as("ServiceEntry host").isTrue();
        EgressDecision world = s.egress("default", HELLO, "world.ns2:8080", 8080);
        assertThat(world.allowed()).isTrue();
        assertThat(world.host()).isEqualTo("world.ns2.svc.cluster.local");
        assertThat(s.egress("other", HELLO, "ifconfig.co", 443).allowed()).as("other namespaces keep ALLOW_ANY").isTrue();
    }

    @Test
    void rootNamespaceSidecarIsTheMeshDefaultAndANamespaceSidecarOverridesIt() {
        MeshSnapshot s = compile(sidecar("default", "istio-system", REGISTRY_ONLY)
                + sidecar("default", "legacy", "  outboundTrafficPolicy: {mode: ALLOW_ANY}\n"));
        EgressDecision blocked = s.egress("default", HELLO, "ifconfig.co", 443);
        assertThat(blocked.allowed()).isFalse();
        assertThat(blocked.sidecar()).isEqualTo("istio-system/default");
        EgressDecision legacy = s.egress("legacy", HELLO, "ifconfig.co", 443);
        assertThat(legacy.allowed()).isTrue();
        assertThat(legacy.sidecar()).isEqualTo("legacy/default");
    }

    @Test
    void workloadSelectorSidecarOverridesTheNamespaceDefault() {
        MeshSnapshot s = compile(sidecar("default", "default", REGISTRY_ONLY)
                + sidecar("crawler", "default", "  workloadSelector: {labels: {app: crawler}}\n"
                        + "  outboundTrafficPolicy: {mode: ALLOW_ANY}\n"));
        assertThat(s.egress("default", Map.of("app", "crawler"), "ifconfig.co", 443).allowed()).isTrue();
        assertThat(s.egress("default", Map.of("app", "crawler"), "ifconfig.co", 443).sidecar()).isEqualTo("default/crawler");
        assertThat(s.egress("default", HELLO, "ifconfig.co", 443).allowed()).isFalse();
    }

    @Test
    void sidecarWithoutModeUsesTheMeshAllowAnyNotTheRootSidecar() {
        MeshSnapshot s = compile(sidecar("default", "istio-system", REGISTRY_ONLY)
                + sidecar("default", "default", "  egress: [{hosts: ['*/*']}]\n"));
        assertThat(s.egress("default", HELLO, "ifconfig.co", 443).allowed()).isTrue();
        assertThat(s.egress("ns2", HELLO, "ifconfig.co", 443).allowed()).isFalse();
    }

    @Test
    void egressHostsLimitRegistryHostsUnderRegistryOnly() {
        MeshSnapshot s = compile(sidecar("default", "default", "  egress: [{hosts: ['./*', '*/api.partner.com']}]\n"
                + REGISTRY_ONLY));
        assertThat(s.egress("default", HELLO, "end:8080", 8080).allowed()).isTrue();
        assertThat(s.egress("default", HELLO, "api.partner.com", 443).allowed()).isTrue();
        EgressDecision world = s.egress("default", HELLO, "world.ns2", 8080);
        assertThat(world.allowed()).isFalse();
        assertThat(world.inRegistry()).isTrue();
        assertThat(world.reason()).isEqualTo(
                "REGISTRY_ONLY: world.ns2.svc.cluster.local is not imported by the egress hosts (Sidecar default/default)");
    }

    @Test
    void egressHostsNotImportedPassThroughUnderAllowAny() {
        MeshSnapshot s = compile(sidecar("default", "default", "  egress: [{hosts: ['./*']}]\n"));
        EgressDecision world = s.egress("default", HELLO, "world.ns2", 8080);
        assertThat(world.allowed()).isTrue();
        assertThat(world.reason()).endsWith("; passed through");
    }

    @Test
    void tildeImportsNothing() {
        MeshSnapshot s = compile(sidecar("default", "default", "  egress: [{hosts: ['~/*']}]\n" + REGISTRY_ONLY));
        assertThat(s.egress("default", HELLO, "end", 8080).allowed()).isFalse();
    }

    @Test
    void serviceEntryNotExportedToTheNamespaceIsNotInItsRegistry() {
        MeshSnapshot s = compile(sidecar("default", "ns2", REGISTRY_ONLY)
                + REGISTRY.replace("name: partner, namespace: default}\nspec:\n", "name: private, namespace: default}\nspec:\n  exportTo: ['.']\n")
                        .replace("api.partner.com", "api.private.com").substring(REGISTRY.indexOf("apiVersion: networking")));
        assertThat(s.egress("ns2", HELLO, "api.private.com", 443).allowed()).isFalse();
        assertThat(s.egress("ns2", HELLO, "api.partner.com", 443).allowed()).isTrue();
    }

    @Test
    void unknownOutboundTrafficPolicyModeIsAnError() {
        CompileResult r = MeshCompiler.compile("t", List.of(new SourceFile("t.yaml",
                REGISTRY + sidecar("default", "default", "  outboundTrafficPolicy: {mode: DENY_ALL}\n"))));
        assertThat(r.snapshot()).isNull();
        assertThat(r.errors()).anySatisfy(f -> {
            assertThat(f.code()).isEqualTo("MP0103");
            assertThat(f.message()).isEqualTo("mode: DENY_ALL (expected: ALLOW_ANY or REGISTRY_ONLY)");
        });
    }
}
