package dev.meshpilot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class MeshCompilerTest {
    static final List<String> FILES = Seed.FILES;

    @ParameterizedTest
    @FieldSource("FILES")
    void compilesEveryTutorialFileAloneWithoutThrowingOrSyntaxErrors(String name) {
        CompileResult result = MeshCompiler.compile("v1", List.of(Seed.file(name)));
        assertThat(result.findings()).noneMatch(f -> f.code().equals("MP0001") || f.code().equals("MP0000")
                || f.code().equals("MP0101") || f.code().equals("MP0102"));
    }

    @Test
    void acceptsTheCanarySet() {
        CompileResult result = MeshCompiler.compile("v1", List.of(Seed.file("helloworld.yaml"),
                Seed.file("helloworld-gw.yaml"), Seed.file("helloworld-v2.yaml"), Seed.canaryRenamed()));
        assertThat(result.errors()).isEmpty();
        assertThat(result.snapshot()).isNotNull();
        assertThat(result.snapshot().version()).isEqualTo("v1");
    }

    @Test
    void acceptsTheRoutingSet() {
        assertThat(MeshCompiler.compile("v1", List.of(Seed.file("helloworld.yaml"), Seed.file("helloworld-gw.yaml"),
                Seed.file("helloworld-v2.yaml"), Seed.routingRenamed())).errors()).isEmpty();
    }

    @Test
    void acceptsTheV3Set() {
        assertThat(MeshCompiler.compile("v1", Seed.files("helloworld.yaml", "helloworld-gw.yaml",
                "helloworld-v3.yaml")).errors()).isEmpty();
    }

    @Test
    void acceptsSelfContainedTutorialFiles() {
        for (String name : List.of("helloworld.yaml", "helloworld-rbac.yaml", "helloworld-jwt.yaml",
                "helloworld-tls.yaml", "external-service.yaml", "helloworld-tls-enable.yaml")) {
            assertThat(MeshCompiler.compile("v1", Seed.files(name)).errors()).as(name).isEmpty();
        }
    }

    @Test
    void reportsUndefinedSubsetWithFileLineAndField() {
        SourceFile routing = Seed.routingRenamed();
        SourceFile broken = new SourceFile(routing.path(), routing.content().replace("subset: v2 # match", "subset: v3 # match"));
        CompileResult result = MeshCompiler.compile("v1", List.of(Seed.file("helloworld.yaml"),
                Seed.file("helloworld-gw.yaml"), broken));
        assertThat(result.snapshot()).isNull();
        assertThat(result.errors()).extracting(Finding::toString).containsExactly(
                "helloworld-v2-routing.yaml:32 VirtualService default/helloworld-routing: spec.http[0].route[0].destination.subset: "
                        + "subset \"v3\" is not defined by any DestinationRule for hello.default.svc.cluster.local"
                        + " (defined: v1, v2)");
    }

    @Test
    void reportsMissingGateway() {
        CompileResult result = MeshCompiler.compile("v1", Seed.files("helloworld.yaml", "helloworld-v2-routing.yaml"));
        assertThat(result.errors()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("MP0202");
            assertThat(f.line()).isEqualTo(23);
            assertThat(f.message()).contains("default/helloworld-gateway");
        });
    }

    @Test
    void reportsWeightsThatDoNotAddUpTo100() {
        SourceFile canary = Seed.canaryRenamed();
        SourceFile broken = new SourceFile(canary.path(), canary.content().replace("weight: 10", "weight: 20"));
        CompileResult result = MeshCompiler.compile("v1", List.of(Seed.file("helloworld.yaml"),
                Seed.file("helloworld-gw.yaml"), broken));
        assertThat(result.errors()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("MP0203");
            assertThat(f.message()).isEqualTo("weights add up to 110 (expected: 100 when a route has more than one destination)");
            assertThat(f.field()).isEqualTo("spec.http[0].route");
        });
    }

    @Test
    void reportsTheSameResourceTwice() {
        CompileResult result = MeshCompiler.compile("v1", Seed.files("helloworld.yaml", "helloworld-gw.yaml",
                "helloworld-v2-canary.yaml"));
        assertThat(result.errors()).anySatisfy(f -> {
            assertThat(f.code()).isEqualTo("MP0004");
            assertThat(f.toString()).startsWith("helloworld-v2-canary.yaml:15 VirtualService default/helloworld: ")
                    .contains("helloworld-gw.yaml:16");
        });
    }

    @Test
    void reportsYamlSyntaxErrorWithLine() {
        CompileResult result = MeshCompiler.compile("v1", List.of(new SourceFile("bad.yaml",
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  labels: [a, b\nspec: {}\n")));
        assertThat(result.errors()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("MP0001");
            assertThat(f.file()).isEqualTo("bad.yaml");
            assertThat(f.line()).isGreaterThan(4);
        });
    }

    @Test
    void reportsWrongTypeAndMissingFieldsWithLines() {
        String yaml = """
                apiVersion: networking.istio.io/v1beta1
                kind: VirtualService
                metadata:
                  name: vs
                spec:
                  hosts: hello
                  http:
                  - route:
                    - destination:
                        subset: v1
                """;
        CompileResult result = MeshCompiler.compile("v1", List.of(new SourceFile("vs.yaml", yaml)));
        assertThat(result.errors()).extracting(Finding::toString).contains(
                "vs.yaml:6 VirtualService default/vs: spec.hosts: expected a list, found \"hello\"",
                "vs.yaml:10 VirtualService default/vs: spec.http[0].route[0].destination.host: required field is missing");
    }

    @Test
    void warnsAboutUnknownKindsWithoutRejecting() {
        CompileResult result = MeshCompiler.compile("v1", List.of(new SourceFile("x.yaml",
                "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n")));
        assertThat(result.accepted()).isTrue();
        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.code()).isEqualTo("MP0003");
            assertThat(f.line()).isEqualTo(1);
        });
    }

    @Test
    void neverThrowsOnGarbage() {
        for (String text : List.of("", "---\n---\n", "- a\n- b\n", "kind: 3\n", "a: [", "\t\tx: y", "apiVersion: v1\nkind: Service\n",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: 7\n", "&a [*a]", "!!binary x: y")) {
            CompileResult result = MeshCompiler.compile("v1", List.of(new SourceFile("g.yaml", text)));
            assertThat(result.findings()).noneMatch(f -> f.code().equals("MP0000"));
        }
    }

    @Test
    void warnsWhenARoutedSubsetHasNoWorkload() {
        CompileResult result = MeshCompiler.compile("v1", List.of(Seed.file("helloworld.yaml"),
                Seed.file("helloworld-gw.yaml"), Seed.canaryRenamed()));
        assertThat(result.accepted()).isTrue();
        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("MP0206");
            assertThat(f.line()).isEqualTo(34);
            assertThat(f.message()).contains("subset \"v2\"", "503");
        });
    }
}
