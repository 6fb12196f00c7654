package dev.meshpilot.policy.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.Seed;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decision names the rule (index in the deciding policy's rules) and, for converted RBAC, its source. */
class DecidingRuleTest {
    static final Map<String, String> SHOP = Map.of("app", "shop");

    static AuthzRequest request(String principal, String method, String path) {
        return new AuthzRequest(principal, principal == null ? null : principal.split("/")[2], "10.0.0.1", "shop",
                method, path, 8080, Map.of(), Map.of());
    }

    static final String POLICIES = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: deny-admin, namespace: shop}
            spec:
              action: DENY
              rules:
              - to: [{operation: {paths: [/debug]}}]
              - to: [{operation: {paths: [/admin*]}}]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: paths, namespace: shop}
            spec:
              rules:
              - to: [{operation: {methods: [POST], paths: [/orders]}}]
              - to: [{operation: {methods: [GET]}}]
            """;

    @Test
    void namesTheMatchingRuleOfTheDecidingPolicy() {
        MeshSnapshot s = AuthorizationTest.compile(POLICIES);
        AuthorizationDecision get = s.authorize("shop", SHOP, request(null, "GET", "/items?x=1"));
        assertThat(get.allowed()).isTrue();
        assertThat(get.policy()).isEqualTo("shop/paths");
        assertThat(get.rule()).isEqualTo(1);
        assertThat(s.authorize("shop", SHOP, request(null, "POST", "/orders")).rule()).isZero();
        AuthorizationDecision admin = s.authorize("shop", SHOP, request(null, "GET", "/admin/users"));
        assertThat(admin.allowed()).isFalse();
        assertThat(admin.policy()).isEqualTo("shop/deny-admin");
        assertThat(admin.rule()).isEqualTo(1);
        assertThat(admin.legacySource()).isNull();
    }

    @Test
    void noRuleWhenNoAllowPolicyMatchedOrThePolicyHasNoRules() {
        MeshSnapshot s = AuthorizationTest.compile(POLICIES);
        AuthorizationDecision put = s.authorize("shop", SHOP, request(null, "PUT", "/orders"));
        assertThat(put.allowed()).isFalse();
        assertThat(put.policy()).isEqualTo("shop/paths");
        assertThat(put.rule()).isNull();
        MeshSnapshot denyAll = AuthorizationTest.compile("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: deny-all, namespace: shop}
                spec: {}
                """);
        AuthorizationDecision none = denyAll.authorize("shop", SHOP, request(null, "GET", "/"));
        assertThat(none.allowed()).isFalse();
        assertThat(none.policy()).isEqualTo("shop/deny-all");
        assertThat(none.rule()).isNull();
        assertThat(AuthorizationDecision.allowedWithoutPolicy().rule()).isNull();
    }

    @Test
    void convertedServiceRoleBindingsNameTheirSource() {
        MeshSnapshot s = Seed.compile(Seed.files("helloworld-rbac-enable.yaml", "helloworld-rbac.yaml"));
        AuthorizationDecision world = s.authorize("default", Map.of("app", "world-2", "version", "v1"),
                new AuthzRequest("cluster.local/ns/default/sa/world", "default", null, "world-2", "GET", "/", 8080,
                        Map.of(), Map.of()));
        assertThat(world.allowed()).isTrue();
        assertThat(world.policy()).isEqualTo("default/world-user-binding");
        assertThat(world.rule()).isZero();
        assertThat(world.legacySource()).isEqualTo("ServiceRoleBinding default/world-user-binding");
        AuthorizationDecision post = s.authorize("default", Map.of("app", "world-2", "version", "v1"),
                new AuthzRequest("cluster.local/ns/default/sa/world", "default", null, "world-2", "POST", "/", 8080,
                        Map.of(), Map.of()));
        assertThat(post.allowed()).isFalse();
        assertThat(post.rule()).isNull();
        assertThat(post.legacySource()).isEqualTo("RbacConfig default");
    }

    @Test
    void theOldConstructorShapeStillWorksAndRejectsNegativeRules() {
        AuthorizationDecision d = new AuthorizationDecision(true, "ns/p", "ALLOW", "allowed");
        assertThat(d.rule()).isNull();
        assertThat(d.legacySource()).isNull();
        assertThat(d.withReason("other")).isEqualTo(new AuthorizationDecision(true, "ns/p", "ALLOW", "other", null, null));
        assertThatThrownBy(() -> new AuthorizationDecision(false, "ns/p", "DENY", "x", -1, null))
                .hasMessage("rule: -1 (expected: >= 0 or null)");
    }
}
