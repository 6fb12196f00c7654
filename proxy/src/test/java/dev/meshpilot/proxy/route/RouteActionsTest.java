package dev.meshpilot.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Redirect, direct response, rewrite and header edits of a VirtualService http rule, at the ingress gateway. */
class RouteActionsTest {

    private final GatewayHarness mesh = new GatewayHarness();

    @AfterEach
    void stop() {
        mesh.close();
    }

    @Test
    void redirectAnswers301WithTheNewLocationAndKeepsTheQuery() {
        Backend backend = mesh.backend("backend-a");
        mesh.apply(vs("""
                  - match:
                    - uri:
                        prefix: /old
                    redirect:
                      uri: /new
                      authority: new.example.com
                """));

        HttpResponse<String> response = mesh.client().get("api.example.com", "/old/page?x=1");

        assertThat(response.statusCode()).isEqualTo(301);
        assertThat(response.headers().firstValue("location")).hasValue("http://new.example.com/new?x=1");
        assertThat(backend.received()).isEmpty();
        mesh.awaitLog("\"response_code\":301", "\"route_name\":\"default/api\"");
    }

    @Test
    void redirectCodeIsTheRulesAndAbsentPartsKeepTheRequests() {
        mesh.backend("backend-a");
        mesh.apply(vs("""
                  - redirect:
                      uri: /moved
                      redirectCode: 308
                """));

        HttpResponse<String> response = mesh.client().get("api.example.com", "/x");

        assertThat(response.statusCode()).isEqualTo(308);
        assertThat(response.headers().firstValue("location")).hasValue("http://api.example.com/moved");
    }

    @Test
    void directResponseAnswersItsStatusAndBody() {
        Backend backend = mesh.backend("backend-a");
        mesh.apply(vs("""
                  - match:
                    - uri:
                        exact: /teapot
                    directResponse:
                      status: 418
                      body:
                        string: "short and stout"
                  - route:
                    - destination:
                        host: backend
                """));

        HttpResponse<String> teapot = mesh.client().get("api.example.com", "/teapot");
        HttpResponse<String> other = mesh.client().get("api.example.com", "/other");

        assertThat(teapot.statusCode()).isEqualTo(418);
        assertThat(teapot.body()).isEqualTo("short and stout");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(backend.received()).extracting(Backend.Received::path).containsExactly("/other");
    }

    @Test
    void prefixRewriteReplacesTheMatchedPrefixAndTheAuthority() {
        Backend backend = mesh.backend("backend-a");
        mesh.apply(vs("""
                  - match:
                    - headers:
                        x-never:
                          exact: "yes"
                    - uri:
                        prefix: /api/v1
                    rewrite:
                      uri: /v2
                      authority: internal.example.com
                    route:
                    - destination:
                        host: backend
                """));

        HttpResponse<String> response = mesh.client().get("api.example.com", "/api/v1/items?q=1");

        assertThat(response.statusCode()).isEqualTo(200);
        Backend.Received received = backend.received().get(0);
        assertThat(received.path()).isEqualTo("/v2/items?q=1");
        assertThat(received.header("x-envoy-original-path")).isEqualTo("/api/v1/items?q=1");
        assertThat(received.header("x-forwarded-host")).isEqualTo("internal.example.com");
        mesh.awaitLog("\"path\":\"/api/v1/items?q=1\"");
    }

    @Test
    void rewriteWithoutAUriMatchReplacesTheLeadingSlash() {
        Backend backend = mesh.backend("backend-a");
        mesh.apply(vs("""
                  - rewrite:
                      uri: /base/
                    route:
                    - destination:
                        host: backend
                """));

        assertThat(mesh.client().get("api.example.com", "/items").statusCode()).isEqualTo(200);

        assertThat(backend.received().get(0).path()).isEqualTo("/base/items");
    }

    @Test
    void headerEditsChangeTheForwardedRequestAndTheAnswer() {
        Backend backend = mesh.backend("backend-a").answering(n -> new Backend.Answer(200, "ok", Duration.ZERO,
                Map.of("x-upstream-secret", "s3cr3t", "x-version", "old", "x-multi", "one")));
        mesh.apply(vs("""
                  - headers:
                      request:
                        set:
                          x-set: set-value
                        add:
                          x-added: added-value
                        remove:
                        - x-drop
                      response:
                        set:
                          x-version: new
                        add:
                          x-multi: two
                        remove:
                        - x-upstream-secret
                    route:
                    - destination:
                        host: backend
                """));

        HttpResponse<String> response = mesh.client().get("api.example.com", "/", Map.of("x-set", "client",
                "x-added", "client", "x-drop", "gone"));

        Backend.Received received = backend.received().get(0);
        assertThat(received.header("x-set")).isEqualTo("set-value");
        assertThat(received.headers().get("x-added")).containsExactly("client", "added-value");
        assertThat(received.header("x-drop")).isNull();
        assertThat(response.headers().firstValue("x-version")).hasValue("new");
        assertThat(response.headers().allValues("x-multi")).containsExactly("one", "two");
        assertThat(response.headers().firstValue("x-upstream-secret")).isEmpty();
    }

    @Test
    void responseHeaderEditsApplyToTheProxysOwnAnswersToo() {
        mesh.apply(vs("""
                  - headers:
                      response:
                        set:
                          x-served-by: meshpilot
                    route:
                    - destination:
                        host: backend
                """));

        HttpResponse<String> response = mesh.client().get("api.example.com", "/");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("x-served-by")).hasValue("meshpilot");
    }

    /** A VirtualService {@code api} for host api.example.com on the gateway with these http rules. */
    static String vs(String rules) {
        return """
                apiVersion: networking.istio.io/v1alpha3
                kind: VirtualService
                metadata:
                  name: api
                spec:
                  hosts:
                  - api.example.com
                  gateways:
                  - gw
                  http:
                """ + rules;
    }
}
