package dev.meshpilot.policy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.CompileResult;
import dev.meshpilot.policy.MeshCompiler;
import dev.meshpilot.policy.Seed;
import dev.meshpilot.policy.SourceFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCliTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = PolicyCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Path write(String folder, SourceFile... files) throws IOException {
        Path d = Files.createDirectories(dir.resolve(folder));
        for (SourceFile f : files) {
            Files.writeString(d.resolve(f.path()), f.content());
        }
        return d;
    }

    Path canarySet() throws IOException {
        return write("canary", Seed.file("helloworld.yaml"), Seed.file("helloworld-gw.yaml"),
                Seed.file("helloworld-v2.yaml"), Seed.canaryRenamed());
    }

    @Test
    void analyzeExitsZeroForAConsistentFolder() throws IOException {
        Run run = cli("analyze", canarySet().toString());
        assertThat(run.exit()).isZero();
        assertThat(run.out()).endsWith("0 errors, 0 warnings in 4 files\n");
    }

    @Test
    void analyzeExitsOneAndPointsAtFileAndLine() throws IOException {
        Path d = write("broken", Seed.file("helloworld.yaml"), Seed.file("helloworld-v2-routing.yaml"));
        Run run = cli("analyze", d.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains(d.resolve("helloworld-v2-routing.yaml") + ":23 ERROR MP0202 VirtualService "
                + "default/helloworld: spec.gateways[0]: gateway \"default/helloworld-gateway\" does not exist");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void analyzeWritesJsonFindings() throws IOException {
        Path d = write("broken", Seed.file("helloworld-v2-routing.yaml"));
        Run run = cli("analyze", "--output", "json", d.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("\"code\": \"MP0202\"", "\"severity\": \"ERROR\"", "\"line\": 23",
                "\"resource\": \"VirtualService default/helloworld\"", "\"field\": \"spec.gateways[0]\"", "\"errors\": 1");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(cli().exit()).isEqualTo(2);
        assertThat(cli("analyze").exit()).isEqualTo(2);
        assertThat(cli("analyze", "--bogus", "x").exit()).isEqualTo(2);
        assertThat(cli("analyze", dir.resolve("missing.yaml").toString()).err()).contains("no such file or folder");
        assertThat(cli("frobnicate").exit()).isEqualTo(2);
        assertThat(cli("simulate", "GET", "http://x/").exit()).isEqualTo(2);
        assertThat(cli("diff", "a").exit()).isEqualTo(2);
    }

    @Test
    void simulateGatewayRequestAsJson() throws IOException {
        Path d = write("v3", Seed.file("helloworld.yaml"), Seed.file("helloworld-gw.yaml"), Seed.file("helloworld-v3.yaml"));
        Run run = cli("simulate", "--config", d.toString(), "--gateway", "default/helloworld-gateway", "--output", "json",
                "GET", "http://hello-v3.example.com/");
        assertThat(run.exit()).isZero();
        assertThat(run.out().replaceAll("\\s+", "")).contains("\"virtualService\":\"default/helloworld-v3\",\"rule\":0,"
                + "\"destinations\":[{\"host\":\"hello.default.svc.cluster.local\",\"subset\":\"v3\",\"port\":8080,"
                + "\"weight\":100}],\"timeout\":\"10s\",\"retries\":{\"attempts\":2,\"perTryTimeout\":\"2s\",\"retryOn\":[]}")
                .contains("\"authorization\":{\"allowed\":true,\"policy\":null,\"action\":null,")
                .contains("\"mtls\":{\"mode\":\"PERMISSIVE\"}");
    }

    @Test
    void simulateRoutesJohnAndPrintsNullRouteForUnknownHosts() throws IOException {
        Path d = write("routing", Seed.file("helloworld.yaml"), Seed.file("helloworld-gw.yaml"),
                Seed.file("helloworld-v2.yaml"), Seed.routingRenamed());
        Run john = cli("simulate", "--config", d.toString(), "--gateway", "default/helloworld-gateway", "-H",
                "end-user: john", "--output", "json", "GET", "http://hello.example.com/");
        assertThat(john.out().replaceAll("\\s+", "")).contains("\"subset\":\"v2\"");
        Run none = cli("simulate", "--config", d.toString(), "--gateway", "default/helloworld-gateway", "--output",
                "json", "GET", "http://nothing.example.com/nope");
        assertThat(none.out()).contains("\"route\": null");
    }

    @Test
    void simulateFromAWorkloadReportsTheEgressDecision() throws IOException {
        Path d = write("egress", Seed.file("helloworld.yaml"), new SourceFile("sidecar.yaml", """
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: default, namespace: default}
                spec:
                  outboundTrafficPolicy: {mode: REGISTRY_ONLY}
                """));
        Run blocked = cli("simulate", "--config", d.toString(), "--from", "default/hello", "GET", "http://ifconfig.co/");
        assertThat(blocked.exit()).isZero();
        assertThat(blocked.out()).startsWith("egress: BLOCKED — REGISTRY_ONLY: ifconfig.co is not in the service registry "
                + "(Sidecar default/default)\nroute: none");
        Run world = cli("simulate", "--config", d.toString(), "--from", "default/hello", "--output", "json", "GET",
                "http://world:8080/");
        assertThat(world.out().replaceAll("\\s+", "")).contains("\"egress\":{\"allowed\":true,\"mode\":\"REGISTRY_ONLY\","
                + "\"sidecar\":\"default/default\"");
    }

    @Test
    void simulateAppliesLegacyRbacAndJwtClaims() throws IOException {
        Path d = write("rbac", Seed.file("helloworld-rbac.yaml"), Seed.file("helloworld-rbac-enable.yaml"));
        Run post = cli("simulate", "--config", d.toString(), "--gateway", "default/helloworld-gateway", "--output", "json",
                "POST", "http://hello-rbac.example.com/");
        assertThat(post.out().replaceAll("\\s+", "")).contains("\"allowed\":false,\"policy\":\"default/rbac-deny-by-default\"")
                .contains("\"mode\":\"STRICT\"");
        Run get = cli("simulate", "--config", d.toString(), "--gateway", "default/helloworld-gateway", "GET",
                "http://hello-rbac.example.com/");
        assertThat(get.out()).contains("ALLOWED — allowed by ALLOW policy default/istio-ingress-binding");
        Path jwt = write("jwt", Seed.file("helloworld-jwt.yaml"), Seed.file("helloworld-jwt-enable.yaml"));
        Run withToken = cli("simulate", "--config", jwt.toString(), "--gateway", "default/helloworld-gateway",
                "--jwt-claims", "{\"iss\": \"http-echo@http-echo.kubernetes.newtech.academy\", \"sub\": \"me\"}",
                "GET", "http://hello.kubernetes.newtech.academy/");
        assertThat(withToken.out()).contains("ALLOWED");
        Run without = cli("simulate", "--config", jwt.toString(), "--gateway", "default/helloworld-gateway",
                "GET", "http://hello.kubernetes.newtech.academy/");
        assertThat(without.out()).as("Istio 1.x origin authentication: 401 before authorization")
                .contains("DENIED — 401: origin authentication of Policy default/jwt-example requires a token of "
                        + "http-echo@http-echo.kubernetes.newtech.academy and the request carries none");
        Run wrongIssuer = cli("simulate", "--config", jwt.toString(), "--gateway", "default/helloworld-gateway",
                "--jwt-claims", "{\"iss\": \"someone-else\", \"sub\": \"me\"}", "--output", "json",
                "GET", "http://hello.kubernetes.newtech.academy/");
        assertThat(wrongIssuer.out()).contains("401: the token's issuer someone-else is not accepted");
    }

    @Test
    void convertWritesTodaysYamlThatMeansTheSame() throws IOException {
        Path d = write("legacy", Seed.file("helloworld-rbac.yaml"), Seed.file("helloworld-rbac-enable.yaml"));
        Run run = cli("convert", d.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.out()).doesNotContain("apiVersion: rbac.istio.io", "apiVersion: \"rbac.istio.io",
                "apiVersion: authentication.istio.io", "v1alpha3")
                .contains("kind: AuthorizationPolicy", "name: istio-ingress-binding", "- istio-system");
        CompileResult converted = MeshCompiler.compile("c", List.of(new SourceFile("converted.yaml", run.out())));
        assertThat(converted.findings()).isEmpty();
        Run again = cli("simulate", "--config", write("converted", new SourceFile("c.yaml", run.out())).toString(),
                "--gateway", "default/helloworld-gateway", "POST", "http://hello-rbac.example.com/");
        assertThat(again.out()).contains("DENIED");
    }

    @Test
    void diffDescribesTheCanaryMove() throws IOException {
        Path before = canarySet();
        SourceFile canary = Seed.canaryRenamed();
        Path after = write("after", Seed.file("helloworld.yaml"), Seed.file("helloworld-gw.yaml"),
                Seed.file("helloworld-v2.yaml"), new SourceFile(canary.path(), canary.content()
                        .replace("weight: 90", "weight: 70").replace("weight: 10", "weight: 30")));
        Run run = cli("diff", before.toString(), after.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo("hello.example.com via helloworld-gateway: v1 90% → 70%, v2 10% → 30%\n");
    }
}
