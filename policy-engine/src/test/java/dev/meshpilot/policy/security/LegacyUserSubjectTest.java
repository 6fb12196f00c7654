package dev.meshpilot.policy.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.MeshSnapshot;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A ServiceRoleBinding {@code user:} subject is {@code source.principal}, the mTLS peer, whatever the principalBinding:
 * Istio 1.x's authn filter always set source.principal from the peer and only request.auth.principal from the binding
 * (istio/istio#7440, istio/proxy authn SaveAuthAttributesToStruct).
 */
class LegacyUserSubjectTest {
    static final String RBAC = """
            apiVersion: rbac.istio.io/v1alpha1
            kind: RbacConfig
            metadata: {name: default}
            spec: {mode: ON}
            ---
            apiVersion: rbac.istio.io/v1alpha1
            kind: ServiceRole
            metadata: {name: hello-viewer, namespace: default}
            spec:
              rules: [{services: ["hello.default.svc.cluster.local"], methods: ["GET"]}]
            ---
            apiVersion: rbac.istio.io/v1alpha1
            kind: ServiceRoleBinding
            metadata: {name: bind, namespace: default}
            spec:
              subjects: [{user: "cluster.local/ns/default/sa/web"}]
              roleRef: {kind: ServiceRole, name: hello-viewer}
            ---
            """;

    @Test
    void aUserSubjectMatchesThePeerEvenUnderUseOrigin() {
        MeshSnapshot s = LegacyJwtRequirementTest.compile(RBAC + LegacyJwtRequirementTest.policy("jwt",
                "  targets: [{name: hello}]\n", "a@example.com", "  principalBinding: USE_ORIGIN\n"));
        Map<String, Object> alice = Map.of("iss", "a@example.com", "sub", "alice");
        AuthorizationDecision peer = s.authorize("default", LegacyJwtRequirementTest.HELLO,
                new AuthzRequest("cluster.local/ns/default/sa/web", "default", null, "hello", "GET", "/", 8080, Map.of(),
                        alice));
        assertThat(peer.allowed()).isTrue();
        assertThat(peer.legacySource()).isEqualTo("ServiceRoleBinding default/bind");
        AuthorizationDecision tokenOnly = s.authorize("default", LegacyJwtRequirementTest.HELLO,
                new AuthzRequest("cluster.local/ns/default/sa/other", "default", null, "hello", "GET", "/", 8080,
                        Map.of(), Map.of("iss", "cluster.local/ns/default/sa", "sub", "web")));
        assertThat(tokenOnly.allowed()).as("a token whose iss/sub spells the user is not the user").isFalse();
    }
}
