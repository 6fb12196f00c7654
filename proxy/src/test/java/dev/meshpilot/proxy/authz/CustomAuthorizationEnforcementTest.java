package dev.meshpilot.proxy.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.proxy.endpoint.Endpoint;
import dev.meshpilot.proxy.internal.Servers;
import dev.meshpilot.proxy.sidecar.SidecarSecurity;
import dev.meshpilot.proxy.testing.InboundUnderTest;
import dev.meshpilot.proxy.testing.RawHttp;
import dev.meshpilot.proxy.testing.Tutorial;
import io.undertow.Undertow;
import io.undertow.util.HttpString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CUSTOM authorization at a real sidecar: the mesh config's HTTP provider is asked through the sidecar's outbound
 * listener before the DENY/ALLOW policies; its answer is what the client sees.
 */
class CustomAuthorizationEnforcementTest {

    private static final String MESH = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: istio, namespace: istio-system}
            data:
              mesh: |-
                extensionProviders:
                - name: ext-authz-http
                  envoyExtAuthzHttp:
                    service: ext-authz.default.svc.cluster.local
                    port: 8000
                    timeout: 2s
                    pathPrefix: /check
                    includeRequestHeadersInCheck: ["x-ext-authz"]
                    headersToUpstreamOnAllow: ["x-user"]
                    headersToDownstreamOnDeny: ["x-ext-authz-check-result"]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: ext-authz, namespace: default}
            spec: {selector: {app: ext-authz}, ports: [{port: 8000}]}
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: ext, namespace: default}
            spec:
              selector: {matchLabels: {app: shop}}
              action: CUSTOM
              provider: {name: ext-authz-http}
              rules: [{to: [{operation: {paths: ["/custom/*"]}}]}]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: deny-secret, namespace: default}
            spec:
              selector: {matchLabels: {app: shop}}
              action: DENY
              rules:
              - to: [{operation: {paths: ["/custom/secret"]}}]
              - to: [{operation: {paths: ["/custom/bob-only"]}}]
                when: [{key: "request.headers[x-user]", notValues: ["bob"]}]
            """;

    private final AtomicReference<String> checked = new AtomicReference<>();
    private Undertow authorizer;
    private InboundUnderTest shop;

    @BeforeEach
    void start() {
        authorizer = Servers.start("127.0.0.1", List.of(new Servers.Listener(0, exchange -> {
            checked.set(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            if ("allow".equals(exchange.getRequestHeaders().getFirst("x-ext-authz"))) {
                exchange.getResponseHeaders().put(HttpString.tryFromString("x-user"), "bob");
                exchange.getResponseSender().send("");
                return;
            }
            exchange.setStatusCode(exchange.getRequestHeaders().getFirst("x-ext-authz") == null ? 403 : 500);
            exchange.getResponseHeaders().put(HttpString.tryFromString("x-ext-authz-check-result"), "denied");
            exchange.getResponseSender().send("denied by ext_authz", StandardCharsets.UTF_8);
        })));
        MeshSnapshot snapshot = Tutorial.compile("c1", List.of(new SourceFile("custom.yaml", MESH)));
        shop = new InboundUnderTest(PathNormalizationEnforcementTest.SHOP, snapshot, SidecarSecurity.DEFAULTS);
        shop.register(new Endpoint("ext-authz-abcde", "default", "ext-authz", Map.of("app", "ext-authz"), "default",
                Servers.address(authorizer, 0)));
    }

    @AfterEach
    void stop() {
        shop.close();
        authorizer.stop();
    }

    @Test
    void allowedCheckPassesWithTheAuthorizersHeaders() {
        RawHttp.Response response = shop.get("shop", "/custom/a?x=1", "x-ext-authz: allow", "x-user: mallory");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("workload saw /custom/a?x=1");
        assertThat(checked.get()).isEqualTo("GET /check/custom/a");
        assertThat(shop.workload().last().header("x-user")).isEqualTo("bob");
        assertThat(shop.lastLine()).contains("allowed by CUSTOM policy default/ext (provider ext-authz-http)");
    }

    @Test
    void deniedCheckAnswersWithTheAuthorizersStatusBodyAndHeaders() {
        RawHttp.Response response = shop.get("shop", "/custom/a");
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("denied by ext_authz");
        assertThat(response.headers().get("x-ext-authz-check-result")).isEqualTo("denied");
        assertThat(shop.workload().count()).isZero();
        assertThat(shop.lastLine()).contains("\"authz_policy\":\"default/ext\"");
    }

    @Test
    void denyPolicyStillAppliesAfterAnAllowedCheck() {
        RawHttp.Response response = shop.get("shop", "/custom/secret", "x-ext-authz: allow");
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("RBAC: access denied");
    }

    @Test
    void pathsTheCustomPolicyDoesNotMatchAreNotChecked() {
        assertThat(shop.get("shop", "/public/a").status()).isEqualTo(200);
        assertThat(checked.get()).isNull();
    }

    @Test
    void authorizerErrorOrOutageFailsClosedWithStatusOnError() {
        RawHttp.Response error = shop.get("shop", "/custom/a", "x-ext-authz: crash");
        assertThat(error.status()).isEqualTo(403);
        assertThat(error.body()).isEmpty();
        authorizer.stop();
        RawHttp.Response down = shop.get("shop", "/custom/a", "x-ext-authz: allow");
        assertThat(down.status()).isEqualTo(403);
        assertThat(shop.workload().count()).isZero();
    }

    @Test
    void headersTheAuthorizerAddsAreWhatTheDenyAndAllowPoliciesSee() {
        assertThat(shop.get("shop", "/custom/bob-only", "x-ext-authz: allow", "x-user: mallory").status())
                .isEqualTo(200);
        assertThat(shop.workload().last().header("x-user")).isEqualTo("bob");
    }
}
