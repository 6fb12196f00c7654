package dev.meshpilot.policy.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.Finding;
import dev.meshpilot.policy.MeshCompiler;
import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.Seed;
import dev.meshpilot.policy.SourceFile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CUSTOM authorization: evaluated first, with the mesh config's provider; unusable providers deny what they match. */
class CustomAuthorizationTest {
    static final Map<String, String> HTTPBIN = Map.of("app", "httpbin");
    static final String AUTHZ_SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: ext-authz, namespace: foo}
            spec: {selector: {app: ext-authz}, ports: [{port: 8000}]}
            ---
            """;
    static final String MESH = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: istio, namespace: istio-system}
            data:
              mesh: |-
                extensionProviders:
                - name: sample-ext-authz-http
                  envoyExtAuthzHttp:
                    service: ext-authz.foo.svc.cluster.local
                    port: 8000
                    timeout: 2s
                    includeRequestHeadersInCheck: ["X-Ext-Authz"]
                - name: broken
                  envoyExtAuthzGrpc:
                    service: nowhere.foo.svc.cluster.local
                    port: 9000
            ---
            """;

    static String custom(String name, String provider, String path) {
        return "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: " + name
                + ", namespace: foo}\nspec:\n  selector: {matchLabels: {app: httpbin}}\n  action: CUSTOM\n"
                + "  provider: {name: " + provider + "}\n  rules: [{to: [{operation: {paths: [\"" + path + "\"]}}]}]\n---\n";
    }

    static final String DENY_ADMIN = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: deny-admin, namespace: foo}
            spec:
              action: DENY
              rules: [{to: [{operation: {paths: ["/headers"]}}]}]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: audit, namespace: foo}
            spec:
              action: AUDIT
              rules: [{}]
            """;

    static MeshSnapshot compile(String yaml) {
        return Seed.compile(List.of(new SourceFile("c.yaml", yaml)));
    }

    static AuthzRequest get(String path) {
        return new AuthzRequest(null, null, null, "httpbin", "GET", path, 8000, Map.of(), Map.of());
    }

    @Test
    void aMatchingRequestGoesToTheProviderBeforeDenyAndAllow() {
        MeshSnapshot s = compile(AUTHZ_SERVICE + MESH + custom("ext-authz", "sample-ext-authz-http", "/headers") + DENY_ADMIN);
        CustomAuthorization check = s.customAuthorization("foo", HTTPBIN, get("/headers")).orElseThrow();
        assertThat(check.policy()).isEqualTo("foo/ext-authz");
        assertThat(check.provider()).isEqualTo(new ExtensionProvider("sample-ext-authz-http", ExtensionProvider.Kind.HTTP,
                "ext-authz.foo.svc.cluster.local", 8000, Duration.ofSeconds(2), null, false, 403, List.of("x-ext-authz"),
                List.of(), List.of()));
        assertThat(s.authorize("foo", HTTPBIN, get("/headers")).policy()).as("then DENY decides").isEqualTo("foo/deny-admin");
        assertThat(s.customAuthorization("foo", HTTPBIN, get("/ip"))).as("rules not matched: no check").isEmpty();
        assertThat(s.authorize("foo", HTTPBIN, get("/ip")).allowed()).as("AUDIT never decides").isTrue();
        assertThat(s.extensionProviders()).extracting(ExtensionProvider::name).containsExactly("sample-ext-authz-http");
    }

    @Test
    void aProviderMissingFromTheMeshConfigDeniesOnlyTheRequestsTheRulesMatch() {
        MeshSnapshot s = compile(AUTHZ_SERVICE + custom("ext-authz", "sample-ext-authz-http", "/headers") + DENY_ADMIN);
        AuthorizationDecision d = s.authorize("foo", HTTPBIN, get("/headers"));
        assertThat(d.allowed()).isFalse();
        assertThat(d.action()).isEqualTo("CUSTOM");
        assertThat(d.policy()).isEqualTo("foo/ext-authz");
        assertThat(d.reason()).isEqualTo("denied by CUSTOM policy foo/ext-authz: provider \"sample-ext-authz-http\" is "
                + "not an extensionProvider of the mesh config (ConfigMap istio-system/istio, data.mesh), so Istio "
                + "denies the requests its rules match");
        assertThat(s.customAuthorization("foo", HTTPBIN, get("/headers"))).isEmpty();
        assertThat(s.authorize("foo", HTTPBIN, get("/ip")).allowed()).isTrue();
    }

    @Test
    void aProviderWhoseServiceIsUnknownIsUnusableAndReported() {
        String yaml = AUTHZ_SERVICE + MESH + custom("grpc", "broken", "/*");
        MeshSnapshot s = compile(yaml);
        assertThat(s.authorize("foo", HTTPBIN, get("/x")).reason()).contains("extension provider broken cannot be used: "
                + "service nowhere.foo.svc.cluster.local is not a Service");
        List<Finding> found = MeshCompiler.compile("v", List.of(new SourceFile("c.yaml", yaml))).findings();
        assertThat(found).filteredOn(f -> f.code().equals("MP0305")).singleElement().satisfies(f -> {
            assertThat(f.line()).as("the item inside data.mesh, counted in the file").isEqualTo(18);
            assertThat(f.field()).isEqualTo("data.mesh.extensionProviders[1]");
        });
    }

    @Test
    void twoProvidersForOneWorkloadDenyWhatEitherPolicyMatches() {
        String second = MESH.replace("- name: broken\n      envoyExtAuthzGrpc:\n        service: nowhere.foo.svc.cluster.local",
                "- name: other\n      envoyExtAuthzGrpc:\n        service: ext-authz.foo.svc.cluster.local");
        MeshSnapshot s = compile(AUTHZ_SERVICE + second + custom("a", "sample-ext-authz-http", "/a")
                + custom("b", "other", "/b"));
        assertThat(s.authorize("foo", HTTPBIN, get("/b")).reason()).contains("2 providers [other, sample-ext-authz-http]");
        assertThat(s.authorize("foo", HTTPBIN, get("/c")).allowed()).isTrue();
        assertThat(s.customAuthorization("foo", HTTPBIN, get("/a"))).isEmpty();
    }

    @Test
    void validatesCustomPoliciesAsIstioDoes() {
        List<Finding> found = MeshCompiler.compile("v", List.of(new SourceFile("c.yaml", """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: no-rules, namespace: foo}
                spec: {action: CUSTOM, provider: {name: p}}
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: identities, namespace: foo}
                spec:
                  action: CUSTOM
                  provider: {name: p}
                  rules:
                  - from: [{source: {principals: ["cluster.local/ns/foo/sa/x"]}}]
                    when: [{key: "request.auth.claims[iss]", values: ["a"]}]
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: allow-with-provider, namespace: foo}
                spec: {provider: {name: p}, rules: [{}]}
                """))).errors();
        assertThat(found).extracting(Finding::field).containsExactly("spec.rules",
                "spec.rules[0].from[0].source.principals", "spec.rules[0].when[0].key", "spec.provider");
        assertThat(found.get(0).message()).isEqualTo("a CUSTOM policy without rules is never triggered; add an empty "
                + "rule `{}` to send every request to the provider");
    }
}
