package dev.meshpilot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cross-resource findings MP0207..MP0211 and MP0302..MP0304: each fires on its mistake only. */
class AnalysisFindingsTest {

    private static List<Finding> findings(String code, List<SourceFile> files) {
        return MeshCompiler.compile("v1", files).findings().stream().filter(f -> f.code().equals(code)).toList();
    }

    private static List<SourceFile> with(List<SourceFile> base, String name, String yaml) {
        List<SourceFile> out = new ArrayList<>(base);
        out.add(new SourceFile(name, yaml));
        return out;
    }

    static String destinationRule(String name, String host, String... subsets) {
        StringBuilder b = new StringBuilder("apiVersion: networking.istio.io/v1beta1\nkind: DestinationRule\nmetadata:\n  name: "
                + name + "\nspec:\n  host: " + host + "\n  subsets:\n");
        for (String s : subsets) {
            b.append("  - name: ").append(s).append("\n    labels:\n      version: ").append(s).append('\n');
        }
        return b.toString();
    }

    @Test
    void warnsWhenTwoVirtualServicesBindTheSameHostToTheSameGateway() {
        SourceFile gw = Seed.file("helloworld-gw.yaml");
        String second = gw.content().substring(gw.content().indexOf("apiVersion: networking.istio.io/v1alpha3\nkind: VirtualService"))
                .replace("name: helloworld\n", "name: helloworld-copy\n");
        List<Finding> found = findings("MP0207", with(Seed.files("helloworld.yaml", "helloworld-gw.yaml"), "copy.yaml", second));
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.toString()).startsWith("copy.yaml:9 VirtualService default/helloworld-copy: spec.gateways[0]: ")
                    .contains("default/helloworld-gateway", "VirtualService default/helloworld (helloworld-gw.yaml:");
        });
    }

    @Test
    void rejectsADestinationRuleWithTheSameSubsetNameTwice() {
        List<Finding> found = findings("MP0208", with(Seed.files("helloworld.yaml"), "dr.yaml",
                destinationRule("hello", "hello", "v1", "v2", "v1")));
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.toString()).isEqualTo("dr.yaml:14 DestinationRule default/hello: spec.subsets[2].name: subset \"v1\""
                    + " is defined twice in this DestinationRule; rename or remove one of them");
        });
    }

    @Test
    void warnsWhenTwoDestinationRulesSetTheSameHostInOneNamespace() {
        List<SourceFile> files = with(Seed.files("helloworld.yaml"), "dr.yaml",
                destinationRule("hello", "hello", "v1") + "---\n" + destinationRule("hello-2", "hello.default.svc.cluster.local", "v2"));
        assertThat(findings("MP0209", files)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.toString()).startsWith("dr.yaml:17 DestinationRule default/hello-2: spec.host: DestinationRule default/hello (dr.yaml:1)")
                    .contains("Istio merges them (subsets added, the first top-level trafficPolicy applies)");
        });
        String otherNamespace = destinationRule("hello", "hello.default.svc.cluster.local", "v1") + "---\n"
                + destinationRule("hello", "hello.default.svc.cluster.local", "v2").replace("name: hello\n", "name: hello\n  namespace: ns2\n");
        assertThat(findings("MP0209", with(Seed.files("helloworld.yaml"), "dr.yaml", otherNamespace))).isEmpty();
    }

    @Test
    void rejectsADestinationPortThatTheServiceDoesNotExpose() {
        SourceFile gw = Seed.file("helloworld-gw.yaml");
        SourceFile broken = new SourceFile(gw.path(), gw.content().replace("number: 8080", "number: 9090"));
        CompileResult result = MeshCompiler.compile("v1", List.of(Seed.file("helloworld.yaml"), broken));
        assertThat(result.snapshot()).isNull();
        assertThat(result.errors()).extracting(Finding::toString).containsExactly("helloworld-gw.yaml:33 VirtualService"
                + " default/helloworld: spec.http[0].route[0].destination.port.number: port 9090 is not a port of"
                + " Service default/hello (ports: 8080)");
    }

    @Test
    void warnsWhenAServiceAccountNameIsNotDefinedWhileItsNamespaceDefinesServiceAccounts() {
        SourceFile rbac = Seed.file("helloworld-rbac.yaml");
        SourceFile typo = new SourceFile(rbac.path(), rbac.content().replace("serviceAccountName: hello ", "serviceAccountName: helo "));
        assertThat(findings("MP0211", List.of(typo))).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.toString()).startsWith("helloworld-rbac.yaml:100 Deployment default/hello: spec.template.spec.serviceAccountName:"
                    + " service account \"helo\" is not defined in namespace default (defined: hello, world)");
        });
        SourceFile noAccounts = new SourceFile("hello.yaml", Seed.file("helloworld.yaml").content()
                .replace("      containers:\n      - name: hello\n", "      serviceAccountName: helo\n      containers:\n      - name: hello\n"));
        assertThat(noAccounts.content()).contains("serviceAccountName: helo");
        assertThat(findings("MP0211", List.of(noAccounts))).isEmpty();
    }

    @Test
    void warnsWhenARoleBindingNamesAServiceAccountThatNothingDefinesOrUses() {
        SourceFile rbac = Seed.file("helloworld-rbac.yaml");
        SourceFile typo = new SourceFile(rbac.path(), rbac.content().replace("cluster.local/ns/default/sa/world", "cluster.local/ns/default/sa/wrld"));
        assertThat(findings("MP0302", List.of(typo))).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.toString()).startsWith("helloworld-rbac.yaml:63 ServiceRoleBinding default/")
                    .contains("spec.subjects[0].user: principal cluster.local/ns/default/sa/wrld: service account default/wrld is not defined");
        });
    }

    @Test
    void warnsWhenAnAuthorizationPolicyPrincipalHasNoServiceAccount() {
        String policy = """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: allow-ghost
                spec:
                  selector:
                    matchLabels:
                      app: hello
                  rules:
                  - from:
                    - source:
                        principals: ["cluster.local/ns/default/sa/default", "cluster.local/ns/default/sa/ghost", "cluster.local/ns/*"]
                """;
        assertThat(findings("MP0302", with(Seed.files("helloworld.yaml"), "ap.yaml", policy))).singleElement().satisfies(f ->
                assertThat(f.toString()).startsWith("ap.yaml:12 AuthorizationPolicy default/allow-ghost: spec.rules[0].from[0].source.principals[1]:"
                        + " principal cluster.local/ns/default/sa/ghost: service account default/ghost is not defined and no Deployment uses it"));
    }

    @Test
    void theTutorialsConsistentSetsHaveNoneOfTheNewFindings() {
        List<List<SourceFile>> sets = List.of(
                List.of(Seed.file("helloworld.yaml"), Seed.file("helloworld-gw.yaml"), Seed.file("helloworld-v2.yaml"), Seed.canaryRenamed()),
                List.of(Seed.file("helloworld.yaml"), Seed.file("helloworld-gw.yaml"), Seed.file("helloworld-v2.yaml"), Seed.routingRenamed()),
                Seed.files("helloworld.yaml", "helloworld-gw.yaml", "helloworld-v3.yaml"),
                Seed.files("helloworld-rbac.yaml"), Seed.files("helloworld-rbac.yaml", "helloworld-rbac-enable.yaml"),
                Seed.files("helloworld-jwt.yaml"), Seed.files("helloworld-tls.yaml"), Seed.files("external-service.yaml"),
                Seed.files("helloworld-tls-enable.yaml"), Seed.files("helloworld-tls.yaml", "helloworld-tls-legacy.yaml"),
                Seed.files("helloworld-tls.yaml", "helloworld-tls-legacy.yaml", "helloworld-tls-enable.yaml"));
        List<String> codes = List.of("MP0207", "MP0208", "MP0209", "MP0210", "MP0211", "MP0302", "MP0303", "MP0304");
        for (List<SourceFile> set : sets) {
            assertThat(MeshCompiler.compile("v1", set).findings()).as(set.stream().map(SourceFile::path).toList().toString())
                    .noneMatch(f -> codes.contains(f.code()));
        }
    }

    private static List<SourceFile> tlsWithUninjectedLegacyCaller(String... more) {
        SourceFile legacy = Seed.file("helloworld-tls-legacy.yaml");
        String marker = "      labels:\n        app: hello-reverse\n";
        assertThat(legacy.content()).contains(marker);
        List<SourceFile> files = new ArrayList<>(Seed.files("helloworld-tls.yaml"));
        files.add(new SourceFile(legacy.path(), legacy.content().replace(marker,
                "      annotations:\n        sidecar.istio.io/inject: \"false\"\n" + marker)));
        files.addAll(Seed.files(more));
        return files;
    }

    @Test
    void warnsWhenAStrictWorkloadIsCalledByADeploymentWithoutSidecar() {
        assertThat(findings("MP0303", tlsWithUninjectedLegacyCaller("helloworld-tls-enable.yaml"))).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.toString()).startsWith("helloworld-tls.yaml:70 Deployment ns2/world-reverse-tls: metadata.name: mTLS mode is STRICT and"
                    + " callers without a sidecar (legacy/hello-reverse-tls) cannot reach it under STRICT mTLS");
        });
        assertThat(findings("MP0303", tlsWithUninjectedLegacyCaller())).as("PERMISSIVE without the MeshPolicy").isEmpty();
    }

    private static final String DISABLE_DEFAULT = """
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata:
              name: default
            spec:
              mtls:
                mode: DISABLE
            ---
            """;

    @Test
    void warnsWhenAnAuthorizationPolicyNeedsPrincipalsWhereMtlsIsDisabled() {
        String policy = """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: allow-hello
                spec:
                  selector:
                    matchLabels:
                      app: hello
                  rules:
                  - from:
                    - source:
                        principals: ["cluster.local/ns/default/sa/default"]
                """;
        assertThat(findings("MP0304", with(Seed.files("helloworld.yaml"), "ap.yaml", DISABLE_DEFAULT + policy))).singleElement()
                .satisfies(f -> assertThat(f.toString()).isEqualTo("ap.yaml:20 AuthorizationPolicy default/allow-hello:"
                        + " spec.rules[0].from[0].source.principals: principals need mTLS: the mTLS mode of default/hello is DISABLE,"
                        + " so the peer identity is unknown and the rule never matches; use STRICT or PERMISSIVE there, or match on something else"));
        assertThat(findings("MP0304", with(Seed.files("helloworld.yaml"), "ap.yaml", policy))).as("PERMISSIVE").isEmpty();
    }

    @Test
    void warnsWhenARoleBindingNeedsAUserWhereMtlsIsDisabled() {
        List<Finding> found = findings("MP0304", with(Seed.files("helloworld-rbac.yaml", "helloworld-rbac-enable.yaml"), "pa.yaml",
                DISABLE_DEFAULT));
        assertThat(found).extracting(Finding::field).contains("spec.subjects[0].user", "spec.subjects[0].properties");
        assertThat(found).allSatisfy(f -> {
            assertThat(f.resource()).startsWith("ServiceRoleBinding default/");
            assertThat(f.file()).isEqualTo("helloworld-rbac.yaml");
            assertThat(f.message()).startsWith("principals need mTLS: the mTLS mode of default/");
        });
    }
}
