package dev.meshpilot.policy.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.Finding;
import dev.meshpilot.policy.MeshCompiler;
import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.Seed;
import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.policy.cli.PolicyCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Istio 1.x origin authentication: a listed jwt origin requires a token (401), the most specific Policy decides. */
class LegacyJwtRequirementTest {
    static final String ISSUER = "http-echo@http-echo.kubernetes.newtech.academy";
    static final Map<String, String> HELLO = Map.of("app", "hello", "version", "v1");
    static final Map<String, String> AUTH = Map.of("app", "auth", "version", "v1");
    static final String SERVICES = """
            apiVersion: v1
            kind: Service
            metadata: {name: hello, namespace: default}
            spec: {selector: {app: hello}, ports: [{port: 8080}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: auth, namespace: default}
            spec: {selector: {app: auth}, ports: [{port: 8080}]}
            ---
            """;

    static MeshSnapshot compile(String yaml) {
        return Seed.compile(List.of(new SourceFile("p.yaml", SERVICES + yaml)));
    }

    static String policy(String name, String targets, String origin, String extra) {
        return "apiVersion: authentication.istio.io/v1alpha1\nkind: Policy\nmetadata: {name: " + name
                + ", namespace: default}\nspec:\n" + targets + "  origins:\n  - jwt:\n      issuer: " + origin
                + "\n      jwksUri: https://keys.example.com/jwks.json\n" + extra;
    }

    @Test
    void tutorialPolicyRequiresATokenForHelloOnlyAndBindsTheOriginPrincipal() {
        MeshSnapshot s = Seed.compile(Seed.files("helloworld-jwt.yaml", "helloworld-jwt-enable.yaml"));
        assertThat(s.jwtRequirement("default", HELLO, "/hello?x=1"))
                .contains(new JwtRequirement("default/jwt-example", List.of(ISSUER), true));
        assertThat(s.jwtRequired("default", HELLO, "/")).isTrue();
        assertThat(s.jwtRequired("default", AUTH, "/login")).as("the MeshPolicy lists no origins").isFalse();
        assertThat(Seed.compile(Seed.files("helloworld-jwt.yaml")).jwtRequired("default", HELLO, "/"))
                .as("before helloworld-jwt-enable.yaml").isFalse();
    }

    @Test
    void triggerRulesLimitTheRequirementToTheirPaths() {
        MeshSnapshot s = compile(policy("jwt", "  targets: [{name: hello}]\n", "a@example.com", """
                      triggerRules:
                      - excludedPaths: [{exact: /health}, {suffix: .css}]
                        includedPaths: [{prefix: /api}, {regex: "/v[0-9]+/.*"}]
                """));
        assertThat(s.jwtRequired("default", HELLO, "/api/items")).isTrue();
        assertThat(s.jwtRequired("default", HELLO, "/v2/items?q=1")).isTrue();
        assertThat(s.jwtRequired("default", HELLO, "/api/site.css")).isFalse();
        assertThat(s.jwtRequired("default", HELLO, "/health")).isFalse();
        assertThat(s.jwtRequired("default", HELLO, "/other")).isFalse();
    }

    @Test
    void originIsOptionalRequiresNothingAndConvertsWithoutADenyPolicy() {
        MeshSnapshot s = compile(policy("jwt", "  originIsOptional: true\n", "a@example.com", ""));
        assertThat(s.jwtRequired("default", HELLO, "/")).isFalse();
        assertThat(s.jwtRules("default", HELLO)).hasSize(1);
        assertThat(s.authorize("default", HELLO, new AuthzRequest(null, null, null, "hello", "GET", "/", 8080, Map.of(),
                Map.of())).allowed()).isTrue();
    }

    @Test
    void aPolicyTargetingTheServiceOverridesTheNamespacePolicy() {
        MeshSnapshot s = compile(policy("default", "", "a@example.com", "") + "---\n"
                + "apiVersion: authentication.istio.io/v1alpha1\nkind: Policy\nmetadata: {name: hello-open, namespace: default}\n"
                + "spec:\n  targets: [{name: hello}]\n");
        assertThat(s.jwtRequired("default", HELLO, "/")).isFalse();
        assertThat(s.jwtRequirement("default", AUTH, "/")).contains(new JwtRequirement("default/default",
                List.of("a@example.com"), false));
        assertThat(s.jwtRequired("other", Map.of("app", "x"), "/")).isFalse();
        AuthzRequest anonymous = request(null, Map.of());
        assertThat(s.authorize("default", HELLO, anonymous).allowed()).as("the namespace Policy does not govern hello")
                .isTrue();
        assertThat(s.jwtRules("default", HELLO)).isEmpty();
        assertThat(s.authorize("default", AUTH, anonymous).policy()).isEqualTo("default/default-require-jwt");
        assertThat(s.jwtRules("default", AUTH)).hasSize(1);
    }

    @Test
    void meshPolicyOriginsRequireATokenEverywhereAndTheirRulesApplyMeshWide() {
        MeshSnapshot s = compile("apiVersion: authentication.istio.io/v1alpha1\nkind: MeshPolicy\nmetadata: {name: default}\n"
                + "spec:\n  origins:\n  - jwt: {issuer: mesh@example.com}\n");
        assertThat(s.jwtRequirement("other", Map.of("app", "x"), "/")).contains(new JwtRequirement("default",
                List.of("mesh@example.com"), false));
        assertThat(s.jwtRules("other", Map.of("app", "x"))).extracting(JwtRule::policy, JwtRule::issuer)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("istio-system/default", "mesh@example.com"));
    }

    @Test
    void requestAuthPrincipalInRbacIsTheTokenUnderUseOriginAndThePeerUnderUsePeer() {
        String rbac = """
                apiVersion: rbac.istio.io/v1alpha1
                kind: ClusterRbacConfig
                metadata: {name: default}
                spec: {mode: "ON"}
                ---
                apiVersion: rbac.istio.io/v1alpha1
                kind: ServiceRole
                metadata: {name: viewer, namespace: default}
                spec:
                  rules: [{services: ["*"], methods: ["GET"]}]
                ---
                apiVersion: rbac.istio.io/v1alpha1
                kind: ServiceRole
                metadata: {name: hello-viewer, namespace: default}
                spec:
                  rules: [{services: ["hello.default.svc.cluster.local", "auth.default.svc.cluster.local"], methods: ["GET"]}]
                ---
                apiVersion: rbac.istio.io/v1alpha1
                kind: ServiceRoleBinding
                metadata: {name: bind, namespace: default}
                spec:
                  subjects: [{properties: {request.auth.principal: "a@example.com/alice"}}]
                  roleRef: {kind: ServiceRole, name: hello-viewer}
                ---
                """;
        MeshSnapshot s = compile(rbac + policy("jwt", "  targets: [{name: hello}]\n", "a@example.com",
                "  principalBinding: USE_ORIGIN\n"));
        Map<String, Object> alice = Map.of("iss", "a@example.com", "sub", "alice");
        assertThat(s.authorize("default", HELLO, request(null, alice)).allowed()).isTrue();
        assertThat(s.authorize("default", HELLO, request("a@example.com/alice", Map.of())).allowed()).isFalse();
        assertThat(s.authorize("default", AUTH, request("a@example.com/alice", Map.of())).allowed())
                .as("auth has no Policy: USE_PEER, the principal is the peer's").isTrue();
        assertThat(s.authorize("default", AUTH, request(null, alice)).allowed()).isFalse();
    }

    @Test
    void conversionTurnsTriggerRulesIntoPathsAndNotPaths(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("p.yaml"), SERVICES + policy("jwt", "  targets: [{name: hello}]\n", "a@example.com",
                "      triggerRules:\n      - excludedPaths: [{exact: /health}]\n        includedPaths: [{prefix: /api}]\n"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = PolicyCli.run(new String[] {"convert", dir.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String yaml = out.toString(StandardCharsets.UTF_8);
        assertThat(code).isZero();
        MeshSnapshot converted = Seed.compile(List.of(new SourceFile("c.yaml", yaml)));
        AuthzRequest api = new AuthzRequest(null, null, null, "hello", "GET", "/api/x", 8080, Map.of(), Map.of());
        AuthzRequest health = new AuthzRequest(null, null, null, "hello", "GET", "/health", 8080, Map.of(), Map.of());
        assertThat(converted.authorize("default", HELLO, api).policy()).isEqualTo("default/jwt-require-jwt");
        assertThat(converted.authorize("default", HELLO, health).allowed()).isTrue();
        assertThat(converted.jwtRequired("default", HELLO, "/api/x")).as("v1 never requires: DENY 403 instead").isFalse();
    }

    @Test
    void aRegexTriggerIsNotConvertedAndSaysSo() {
        List<Finding> found = MeshCompiler.compile("v", List.of(new SourceFile("p.yaml", SERVICES + policy("jwt", "",
                "a@example.com", "      triggerRules: [{includedPaths: [{regex: \"/v[0-9]+\"}]}]\n")))).findings();
        assertThat(found).filteredOn(f -> f.code().equals("MP0406")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("regex"));
    }

    @Test
    void convertedOriginsForwardTheTokenAndKeepInlineKeysAndTheExchangedTokenPrefix() {
        MeshSnapshot s = compile("apiVersion: authentication.istio.io/v1alpha1\nkind: Policy\nmetadata: {name: jwt, "
                + "namespace: default}\nspec:\n  origins:\n  - jwt:\n      issuer: a@example.com\n"
                + "      jwks: '{\"keys\": []}'\n      jwtHeaders: [ingress-authorization, x-token]\n");
        JwtRule rule = s.jwtRules("default", HELLO).get(0);
        assertThat(rule.forwardOriginalToken()).isTrue();
        assertThat(rule.jwks()).isEqualTo("{\"keys\": []}");
        assertThat(rule.fromHeaders()).containsExactly(new JwtRule.TokenHeader("ingress-authorization", "Istio "),
                new JwtRule.TokenHeader("x-token", null));
    }

    private static AuthzRequest request(String peer, Map<String, Object> claims) {
        return new AuthzRequest(peer, peer == null ? null : "default", null, "hello", "GET", "/", 8080, Map.of(), claims);
    }
}
