package dev.meshpilot.policy.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.CompileResult;
import dev.meshpilot.policy.MeshCompiler;
import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.Seed;
import dev.meshpilot.policy.SourceFile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthorizationTest {
    static final String GATEWAY_SA = "cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account";
    static final Map<String, String> HELLO = Map.of("app", "hello", "version", "v1");
    static final Map<String, String> WORLD = Map.of("app", "world", "version", "v1");

    static AuthzRequest from(String principal, String method, String path, Map<String, Object> claims) {
        String ns = principal == null ? null : principal.split("/")[2];
        return new AuthzRequest(principal, ns, "10.1.2.3", "hello", method, path, 8080, Map.of(), claims);
    }

    static MeshSnapshot compile(String yaml) {
        return Seed.compile(List.of(new SourceFile("p.yaml", yaml)));
    }

    @Test
    void legacyRbacAllowsTheGatewayToGetHelloOnly() {
        MeshSnapshot s = Seed.compile(Seed.files("helloworld-rbac-enable.yaml", "helloworld-rbac.yaml"));
        AuthorizationDecision get = s.authorize("default", HELLO, from(GATEWAY_SA, "GET", "/", Map.of()));
        assertThat(get.allowed()).isTrue();
        assertThat(get.policy()).isEqualTo("default/istio-ingress-binding");
        AuthorizationDecision post = s.authorize("default", HELLO, from(GATEWAY_SA, "POST", "/", Map.of()));
        assertThat(post.allowed()).isFalse();
        assertThat(post.policy()).isEqualTo("default/rbac-deny-by-default");
    }

    @Test
    void legacyRbacAllowsHelloToWorldButNotWorldToItself() {
        MeshSnapshot s = Seed.compile(Seed.files("helloworld-rbac-enable.yaml", "helloworld-rbac.yaml"));
        assertThat(s.authorize("default", WORLD, from("cluster.local/ns/default/sa/hello", "GET", "/", Map.of()))
                .allowed()).isTrue();
        assertThat(s.authorize("default", WORLD, from("cluster.local/ns/default/sa/world", "GET", "/", Map.of()))
                .allowed()).isFalse();
        assertThat(s.authorize("legacy", Map.of("app", "end"), from(null, "GET", "/", Map.of())).allowed())
                .as("RBAC is only on for the included namespace").isTrue();
    }

    @Test
    void legacyMeshPolicyMeansStrictMtls() {
        MeshSnapshot s = Seed.compile(Seed.files("helloworld-tls-enable.yaml"));
        assertThat(s.mtlsMode("default", HELLO, 8080)).isEqualTo(MtlsMode.STRICT);
        assertThat(Seed.compile(Seed.files("helloworld.yaml")).mtlsMode("default", HELLO, 8080))
                .isEqualTo(MtlsMode.PERMISSIVE);
    }

    @Test
    void legacyJwtPolicyRejectsRequestsWithoutToken() {
        MeshSnapshot s = Seed.compile(Seed.files("helloworld-jwt.yaml", "helloworld-jwt-enable.yaml"));
        AuthorizationDecision none = s.authorize("default", HELLO, from(GATEWAY_SA, "GET", "/", Map.of()));
        assertThat(none.allowed()).isFalse();
        assertThat(none.policy()).isEqualTo("default/jwt-example-require-jwt");
        assertThat(none.action()).isEqualTo("DENY");
        Map<String, Object> claims = Map.of("iss", "http-echo@http-echo.kubernetes.newtech.academy", "sub", "u1");
        assertThat(s.authorize("default", HELLO, from(GATEWAY_SA, "GET", "/", claims)).allowed()).isTrue();
        assertThat(s.authorize("default", Map.of("app", "auth"), from(GATEWAY_SA, "GET", "/", Map.of())).allowed()).isTrue();
        assertThat(s.jwtRules("default", HELLO)).as("Istio 1.x forwarded the token").containsExactly(new JwtRule(
                "default/jwt-example", "http-echo@http-echo.kubernetes.newtech.academy",
                "http://auth.kubernetes.newtech.academy/.well-known/jwks.json", List.of(), List.of(), List.of(), null, true,
                null, List.of()));
        assertThat(s.jwtRules("default", Map.of("app", "auth"))).isEmpty();
    }

    @Test
    void emptySpecDeniesAllAndEmptyRuleAllowsAll() {
        String denyAll = "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: deny-all}\nspec: {}\n";
        MeshSnapshot s = compile(denyAll);
        assertThat(s.authorize("default", HELLO, from(GATEWAY_SA, "GET", "/", Map.of())).allowed()).isFalse();
        assertThat(s.authorize("other", HELLO, from(GATEWAY_SA, "GET", "/", Map.of())).allowed()).isTrue();
        MeshSnapshot both = compile(denyAll + "---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\n"
                + "metadata: {name: allow-all}\nspec:\n  rules: [{}]\n");
        assertThat(both.authorize("default", HELLO, from(null, "GET", "/", Map.of())).policy()).isEqualTo("default/allow-all");
    }

    @Test
    void denyBeatsAllowAndMatchesPathsMethodsAndClaims() {
        MeshSnapshot s = compile("""
                apiVersion: security.istio.io/v1beta1
                kind: AuthorizationPolicy
                metadata: {name: allow-get, namespace: default}
                spec:
                  selector: {matchLabels: {app: hello}}
                  rules:
                  - to: [{operation: {methods: ["GET"], paths: ["/api/*", "*.html", "/exact"]}}]
                    when:
                    - key: request.auth.claims[groups]
                      values: ["admins"]
                ---
                apiVersion: security.istio.io/v1beta1
                kind: AuthorizationPolicy
                metadata: {name: deny-secret, namespace: istio-system}
                spec:
                  action: DENY
                  rules:
                  - to: [{operation: {paths: ["/api/secret"]}}]
                    from: [{source: {notNamespaces: ["ops"]}}]
                """);
        Map<String, Object> admin = Map.of("iss", "i", "sub", "s", "groups", List.of("users", "admins"));
        assertThat(s.authorize("default", HELLO, from(GATEWAY_SA, "GET", "/api/x?q=1", admin)).allowed()).isTrue();
        assertThat(s.authorize("default", HELLO, from(GATEWAY_SA, "GET", "/index.html", admin)).allowed()).isTrue();
        assertThat(s.authorize("default", HELLO, from(GATEWAY_SA, "GET", "/exact/no", admin)).allowed()).isFalse();
        assertThat(s.authorize("default", HELLO, from(GATEWAY_SA, "GET", "/api/x", Map.of("groups", "users"))).allowed())
                .isFalse();
        AuthorizationDecision secret = s.authorize("default", HELLO, from(GATEWAY_SA, "GET", "/api/secret", admin));
        assertThat(secret).isEqualTo(new AuthorizationDecision(false, "istio-system/deny-secret", "DENY",
                "denied by DENY policy istio-system/deny-secret", 0, null));
        assertThat(s.authorize("default", HELLO, from("cluster.local/ns/ops/sa/x", "GET", "/api/secret", admin)).allowed())
                .isTrue();
    }

    @Test
    void peerAuthenticationGoesFromWorkloadPortToNamespaceToMesh() {
        MeshSnapshot s = compile("""
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default, namespace: istio-system}
                spec: {mtls: {mode: STRICT}}
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default, namespace: legacy}
                spec: {mtls: {mode: DISABLE}}
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: hello, namespace: default}
                spec:
                  selector: {matchLabels: {app: hello}}
                  mtls: {mode: UNSET}
                  portLevelMtls:
                    9000: {mode: PERMISSIVE}
                """);
        assertThat(s.mtlsMode("default", HELLO, 9000)).isEqualTo(MtlsMode.PERMISSIVE);
        assertThat(s.mtlsMode("default", HELLO, 8080)).isEqualTo(MtlsMode.STRICT);
        assertThat(s.mtlsMode("legacy", HELLO, 8080)).isEqualTo(MtlsMode.DISABLE);
        assertThat(s.mtlsMode("ns1", WORLD, 8080)).isEqualTo(MtlsMode.STRICT);
    }

    @Test
    void reportsBadActionWithLine() {
        CompileResult r = MeshCompiler.compile("v", List.of(new SourceFile("a.yaml",
                "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: a}\nspec:\n  action: MAYBE\n")));
        assertThat(r.errors()).extracting(Object::toString).containsExactly(
                "a.yaml:5 AuthorizationPolicy default/a: spec.action: action: MAYBE (expected: one of ALLOW, DENY, AUDIT, CUSTOM)");
    }
}
