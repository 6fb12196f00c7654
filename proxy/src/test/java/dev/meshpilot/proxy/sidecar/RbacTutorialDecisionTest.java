package dev.meshpilot.proxy.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.proxy.identity.PeerPrincipal;
import dev.meshpilot.proxy.identity.SpiffeId;
import dev.meshpilot.proxy.testing.RawHttp;
import dev.meshpilot.proxy.testing.Tutorial;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Tutorial 7.8 (helloworld-rbac-enable.yaml + helloworld-rbac.yaml, unchanged) decided at each workload's inbound
 * listener, with the peer identity attached in-process as the mTLS listener attaches it. The same story through the
 * whole fleet is {@code dev.meshpilot.proxy.fleet.FleetRbacTutorialTest} (needs the mTLS listener).
 */
class RbacTutorialDecisionTest {

    static final PeerPrincipal GATEWAY = PeerPrincipal.mutual(SpiffeId.of("istio-system",
            "istio-ingressgateway-service-account"));
    static final PeerPrincipal HELLO = PeerPrincipal.mutual(SpiffeId.of("default", "hello"));
    static final PeerPrincipal WORLD = PeerPrincipal.mutual(SpiffeId.of("default", "world"));

    static MeshSnapshot rbac() {
        return Tutorial.snapshot("rbac", "helloworld-rbac-enable.yaml", "helloworld-rbac.yaml");
    }

    /** helloworld-rbac.yaml without the document named {@code name}, as an operator deleting it would commit. */
    static MeshSnapshot rbacWithout(String name) {
        String kept = Arrays.stream(Tutorial.read("helloworld-rbac.yaml").split("(?m)^---\\s*$"))
                .filter(doc -> !doc.contains("name: " + name + "\n")).collect(Collectors.joining("---\n"));
        assertThat(kept).doesNotContain(name);
        return Tutorial.compile("rbac-2", List.of(
                new SourceFile("helloworld-rbac-enable.yaml", Tutorial.read("helloworld-rbac-enable.yaml")),
                new SourceFile("helloworld-rbac.yaml", kept)));
    }

    @Test
    void helloAnswersTheIngressGateway() {
        try (PeerAttachedInbound hello = new PeerAttachedInbound(rbac(), "hello", null).from(GATEWAY)) {
            RawHttp.Response response = hello.get("hello-rbac.example.com");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello");
            assertThat(hello.line(1)).contains("\"authz_policy\":\"default/istio-ingress-binding\"")
                    .contains("\"authz_rule\":\"0\"")
                    .contains("\"authz_reason\":\"allowed by ALLOW policy default/istio-ingress-binding (converted from "
                            + "ServiceRoleBinding default/istio-ingress-binding)\"");
        }
    }

    @Test
    void helloViewerAllowsOnlyGetAndHead() {
        try (PeerAttachedInbound hello = new PeerAttachedInbound(rbac(), "hello", null).from(GATEWAY)) {
            RawHttp.Response post = hello.send("POST / HTTP/1.1\r\nHost: hello-rbac.example.com\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n");
            assertThat(post.status()).isEqualTo(403);
            assertThat(post.body()).isEqualTo("RBAC: access denied");
        }
    }

    @Test
    void helloDeniesAnotherWorkload() {
        try (PeerAttachedInbound hello = new PeerAttachedInbound(rbac(), "hello", null).from(WORLD)) {
            assertThat(hello.get("hello").status()).isEqualTo(403);
        }
    }

    @Test
    void worldAnswersHelloOnly() {
        try (PeerAttachedInbound world = new PeerAttachedInbound(rbac(), "world", null)) {
            assertThat(world.from(HELLO).get("world:8080").body()).isEqualTo("world");
            assertThat(world.from(WORLD).get("world:8080").status()).isEqualTo(403);
            assertThat(world.from(GATEWAY).get("world:8080").status()).isEqualTo(403);
        }
    }

    @Test
    void world2AnswersWorld() {
        try (PeerAttachedInbound world2 = new PeerAttachedInbound(rbac(), "world-2", null).from(WORLD)) {
            RawHttp.Response response = world2.get("world-2:8080");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("!!!");
        }
    }

    @Test
    void plaintextPeerIsDeniedWhateverItsHeadersClaim() {
        try (PeerAttachedInbound world2 = new PeerAttachedInbound(rbac(), "world-2", null)) {
            RawHttp.Response response = world2.get("world-2:8080",
                    "x-forwarded-client-cert: By=spiffe://cluster.local/ns/default/sa/world-2;"
                            + "URI=spiffe://cluster.local/ns/default/sa/world",
                    "x-meshpilot-peer: world.default|world|v1|default|cluster.local/ns/default/sa/world");
            assertThat(response.status()).isEqualTo(403);
            assertThat(response.body()).isEqualTo("RBAC: access denied");
        }
    }

    @Test
    void withoutWorldUserBindingWorld2DeniesWorldAndLogsWhy() {
        try (PeerAttachedInbound world2 = new PeerAttachedInbound(rbacWithout("world-user-binding"), "world-2", null)
                .from(WORLD)) {
            RawHttp.Response response = world2.get("world-2:8080");
            assertThat(response.status()).isEqualTo(403);
            assertThat(response.body()).isEqualTo("RBAC: access denied");
            assertThat(world2.line(1)).contains("\"response_code\":403")
                    .contains("\"authz_policy\":\"default/rbac-deny-by-default\"")
                    .contains("\"authz_reason\":\"denied: ALLOW policy default/rbac-deny-by-default has no rules");
        }
    }

    @Test
    void operatorLearnsWhyAWorldCallWasDenied() {
        try (PeerAttachedInbound world2 = new PeerAttachedInbound(rbacWithout("world-user-binding"), "world-2",
                "s3cret-operator-token").from(WORLD)) {
            RawHttp.Response operator = world2.get("world-2:8080", "x-meshpilot-debug: s3cret-operator-token");
            assertThat(operator.headers().get("x-meshpilot-authz")).startsWith(
                    "DENY policy=default/rbac-deny-by-default rule=- reason=denied: ALLOW policy");
            RawHttp.Response stranger = world2.get("world-2:8080", "x-meshpilot-debug: guess");
            assertThat(stranger.status()).isEqualTo(403);
            assertThat(stranger.headers()).doesNotContainKey("x-meshpilot-authz");
        }
    }
}
