package dev.meshpilot.proxy.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.policy.route.PathNormalization;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.proxy.sidecar.SidecarSecurity;
import dev.meshpilot.proxy.testing.InboundUnderTest;
import dev.meshpilot.proxy.testing.RawHttp;
import dev.meshpilot.proxy.testing.Tutorial;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Path tricks against path-scoped DENY and ALLOW rules at a real sidecar: the path is normalized (Istio's default,
 * BASE) before matching and the workload gets exactly the normalized path, so no trick reaches what a rule guards.
 */
class PathNormalizationEnforcementTest {

    static final ProxyRef SHOP = ProxyRef.sidecar("default", "shop", Map.of("app", "shop"), "shop");

    static MeshSnapshot policy(String action, String paths) {
        return Tutorial.compile("p1", List.of(new SourceFile("policy.yaml", """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: paths
                  namespace: default
                spec:
                  selector:
                    matchLabels:
                      app: shop
                  action: %s
                  rules:
                  - to:
                    - operation:
                        paths: %s
                """.formatted(action, paths))));
    }

    private static InboundUnderTest denyAdmin() {
        return new InboundUnderTest(SHOP, policy("DENY", "[\"/admin\", \"/admin/*\"]"), SidecarSecurity.DEFAULTS);
    }

    private static InboundUnderTest allowPublicOnly() {
        return new InboundUnderTest(SHOP, policy("ALLOW", "[\"/public/*\"]"), SidecarSecurity.DEFAULTS);
    }

    private static void assertDenied(InboundUnderTest shop, String target) {
        int before = shop.workload().count();
        RawHttp.Response response = shop.get("shop", target);
        assertThat(response.status()).as("%s: %s", target, shop.lastLine()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("RBAC: access denied");
        assertThat(shop.workload().count()).as("requests the workload got after %s", target).isEqualTo(before);
    }

    @Test
    void denyRuleMatchesTheAdminPathItself() {
        try (InboundUnderTest shop = denyAdmin()) {
            assertDenied(shop, "/admin");
            assertThat(shop.lastLine()).contains("\"authz_policy\":\"default/paths\"");
        }
    }

    @Test
    void dotSegmentsCannotReachAdminPastADenyRule() {
        try (InboundUnderTest shop = denyAdmin()) {
            assertDenied(shop, "/public/../admin");
            assertDenied(shop, "/public/%2e%2e/admin/users");
            assertDenied(shop, "/%61dmin");
        }
    }

    @Test
    void dotSegmentsAfterAdminLeaveAdminBeforeTheWorkloadSeesThem() {
        try (InboundUnderTest shop = denyAdmin()) {
            RawHttp.Response response = shop.get("shop", "/admin/../x");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("workload saw /x");
        }
    }

    @Test
    void doubleSlashIsForwardedExactlyAsItWasCheckedUnderIstiosDefault() {
        // BASE does not merge slashes (MERGE_SLASHES would): the rule does not match "//admin", and the workload
        // gets "//admin" itself, never "/admin".
        try (InboundUnderTest shop = denyAdmin()) {
            RawHttp.Response response = shop.get("shop", "//admin");
            assertThat(response.body()).isEqualTo("workload saw //admin");
        }
    }

    @Test
    void theMeshConfigsMergeSlashesClosesTheDoubleSlashDoorOfADenyRule() {
        MeshSnapshot merging = Tutorial.compile("p2", List.of(new SourceFile("policy.yaml", """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: paths
                  namespace: default
                spec:
                  selector:
                    matchLabels:
                      app: shop
                  action: DENY
                  rules:
                  - to:
                    - operation:
                        paths: ["/admin", "/admin/*"]
                """), new SourceFile("mesh.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: istio
                  namespace: istio-system
                data:
                  mesh: |-
                    pathNormalization:
                      normalization: MERGE_SLASHES
                """)));
        assertThat(merging.pathNormalization()).isEqualTo(PathNormalization.MERGE_SLASHES);
        try (InboundUnderTest shop = new InboundUnderTest(SHOP, merging, SidecarSecurity.DEFAULTS)) {
            assertDenied(shop, "//admin");
            assertDenied(shop, "///admin//users");
            assertThat(shop.lastLine()).contains("\"authz_rule\":\"0\"");
            assertThat(shop.get("shop", "/a//b").body()).isEqualTo("workload saw /a/b");
        }
    }

    @Test
    void encodedSlashIsNeitherDecodedForMatchingNorForTheWorkload() {
        try (InboundUnderTest shop = denyAdmin()) {
            RawHttp.Response response = shop.get("shop", "/%2fadmin");
            assertThat(response.body()).isEqualTo("workload saw /%2Fadmin");
        }
    }

    @Test
    void noPathTrickGetsPastAnAllowRule() {
        try (InboundUnderTest shop = allowPublicOnly()) {
            assertThat(shop.get("shop", "/public/index.html").body()).isEqualTo("workload saw /public/index.html");
            assertDenied(shop, "/public/../admin");
            assertDenied(shop, "/public/%2E%2E/admin");
            assertDenied(shop, "//admin");
            assertDenied(shop, "/%2Fadmin");
            assertDenied(shop, "/%2Fpublic/../admin");
        }
    }

    @Test
    void encodedNulIsRejectedWith400() {
        try (InboundUnderTest shop = allowPublicOnly()) {
            RawHttp.Response response = shop.get("shop", "/public/a%00b");
            assertThat(response.status()).isEqualTo(400);
            assertThat(shop.workload().last()).isNull();
            assertThat(shop.lastLine()).contains("\"authz_reason\":\"path contains %00\"");
        }
    }

    @Test
    void lowerCaseMethodIsRejectedWith400() {
        try (InboundUnderTest shop = allowPublicOnly()) {
            RawHttp.Response response = shop.send(
                    "get /public/x HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n");
            assertThat(response.status()).isEqualTo(400);
            assertThat(shop.workload().last()).isNull();
        }
    }

    @Test
    void queryIsNotPartOfThePathAndReachesTheWorkloadUnchanged() {
        try (InboundUnderTest shop = allowPublicOnly()) {
            RawHttp.Response response = shop.get("shop", "/public/./x?next=/admin/../y");
            assertThat(response.body()).isEqualTo("workload saw /public/x?next=/admin/../y");
        }
    }

    @Test
    void theNextRequestIsDecidedWithTheSnapshotServedNow() {
        try (InboundUnderTest shop = allowPublicOnly()) {
            assertThat(shop.get("shop", "/admin").status()).isEqualTo(403);
            shop.apply(policy("ALLOW", "[\"/admin\"]"));
            assertThat(shop.get("shop", "/admin").body()).isEqualTo("workload saw /admin");
            assertDenied(shop, "/public/x");
        }
    }
}
