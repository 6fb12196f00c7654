package dev.meshpilot.proxy.route;

import static dev.meshpilot.proxy.route.RouteActionsTest.vs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.proxy.testing.Eventually;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fault injection, mirroring and CORS of a VirtualService http rule, at the ingress gateway. */
class FaultMirrorCorsTest {

    private static final String SUBSETS = """
            ---
            apiVersion: networking.istio.io/v1alpha3
            kind: DestinationRule
            metadata:
              name: backend
            spec:
              host: backend
              subsets:
              - name: v1
                labels:
                  version: v1
              - name: mirror
                labels:
                  version: mirror
            """;

    private final GatewayHarness mesh = new GatewayHarness();

    @AfterEach
    void stop() {
        mesh.close();
    }

    @Test
    void abortAnswersTheStatusWithFlagFiAndNeverReachesTheBackend() {
        Backend backend = mesh.backend("backend-a");
        mesh.apply(vs("""
                  - fault:
                      abort:
                        httpStatus: 503
                        percentage:
                          value: 100
                    route:
                    - destination:
                        host: backend
                """));

        HttpResponse<String> response = mesh.client().get("api.example.com", "/");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("fault filter abort");
        assertThat(backend.received()).isEmpty();
        mesh.awaitLog("\"response_code\":503", "\"response_flags\":\"FI\"");
    }

    @Test
    void abortHitsItsPercentageOfRequests() {
        mesh.backend("backend-a");
        mesh.apply(vs("""
                  - fault:
                      abort:
                        httpStatus: 500
                        percentage:
                          value: 50
                    route:
                    - destination:
                        host: backend
                """));

        int aborted = 0;
        for (int i = 0; i < 200; i++) {
            aborted += mesh.client().get("api.example.com", "/").statusCode() == 500 ? 1 : 0;
        }

        assertThat(aborted).isBetween(60, 140);
    }

    @Test
    void delayHoldsTheRequestAndFlagsItDi() {
        Backend backend = mesh.backend("backend-a");
        mesh.apply(vs("""
                  - fault:
                      delay:
                        fixedDelay: 400ms
                        percentage:
                          value: 100
                    route:
                    - destination:
                        host: backend
                """));

        long start = System.nanoTime();
        HttpResponse<String> response = mesh.client().get("api.example.com", "/");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(backend.received()).hasSize(1);
        mesh.awaitLog("\"response_code\":200", "\"response_flags\":\"DI\"");
    }

    @Test
    void mirrorSendsAShadowCopyAndItsSlowFailureNeverTouchesTheResponse() {
        Backend main = mesh.backend("backend-a");
        Backend shadow = mesh.backend("backend-m", Map.of("version", "mirror"))
                .answering(n -> new Backend.Answer(500, "mirror broke", Duration.ofSeconds(3), Map.of()));
        mesh.apply(vs("""
                  - route:
                    - destination:
                        host: backend
                        subset: v1
                    mirror:
                      host: backend
                      subset: mirror
                    mirrorPercentage:
                      value: 100
                """) + SUBSETS);

        long start = System.nanoTime();
        HttpResponse<String> response = mesh.client().get("api.example.com", "/page");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("backend-a");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(main.received()).hasSize(1);
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(shadow.received()).singleElement()
                .satisfies(r -> {
                    assertThat(r.path()).isEqualTo("/page");
                    assertThat(r.header("x-forwarded-host")).isEqualTo("api.example.com-shadow");
                }));
    }

    @Test
    void mirrorPercentageZeroSendsNoCopy() {
        mesh.backend("backend-a");
        Backend shadow = mesh.backend("backend-m", Map.of("version", "mirror"));
        mesh.apply(vs("""
                  - route:
                    - destination:
                        host: backend
                        subset: v1
                    mirror:
                      host: backend
                      subset: mirror
                    mirrorPercentage:
                      value: 0
                """) + SUBSETS);

        for (int i = 0; i < 20; i++) {
            assertThat(mesh.client().get("api.example.com", "/").statusCode()).isEqualTo(200);
        }

        assertThat(shadow.received()).isEmpty();
    }

    @Test
    void corsPreflightFromAnAllowedOriginIsAnsweredByTheProxy() {
        Backend backend = mesh.backend("backend-a");
        mesh.apply(vs(CORS));

        HttpResponse<String> response = mesh.send("OPTIONS", "api.example.com", "/", Map.of(
                "Origin", "https://app.example.com", "Access-Control-Request-Method", "PUT"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example.com");
        assertThat(response.headers().firstValue("access-control-allow-methods")).hasValue("GET,PUT");
        assertThat(response.headers().firstValue("access-control-allow-headers")).hasValue("x-token");
        assertThat(response.headers().firstValue("access-control-max-age")).hasValue("86400");
        assertThat(response.headers().firstValue("access-control-allow-credentials")).hasValue("true");
        assertThat(backend.received()).isEmpty();
    }

    @Test
    void corsActualRequestFromAnAllowedOriginGetsAllowOriginAndExposeHeaders() {
        mesh.backend("backend-a");
        mesh.apply(vs(CORS));

        HttpResponse<String> response = mesh.client().get("api.example.com", "/",
                Map.of("Origin", "https://admin.example.org"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("access-control-allow-origin"))
                .hasValue("https://admin.example.org");
        assertThat(response.headers().firstValue("access-control-expose-headers")).hasValue("x-trace");
    }

    @Test
    void corsFromAnotherOriginIsForwardedAndAnsweredWithoutCorsHeaders() {
        Backend backend = mesh.backend("backend-a");
        mesh.apply(vs(CORS));

        HttpResponse<String> preflight = mesh.send("OPTIONS", "api.example.com", "/", Map.of(
                "Origin", "https://evil.example.net", "Access-Control-Request-Method", "PUT"));
        HttpResponse<String> actual = mesh.client().get("api.example.com", "/",
                Map.of("Origin", "https://evil.example.net"));

        assertThat(backend.received()).extracting(Backend.Received::method).containsExactly("OPTIONS", "GET");
        assertThat(preflight.headers().map()).doesNotContainKeys("access-control-allow-origin",
                "access-control-allow-methods");
        assertThat(actual.statusCode()).isEqualTo(200);
        assertThat(actual.headers().map()).doesNotContainKey("access-control-allow-origin");
    }

    private static final String CORS = """
              - corsPolicy:
                  allowOrigins:
                  - exact: https://app.example.com
                  - prefix: https://admin.
                  allowMethods:
                  - GET
                  - PUT
                  allowHeaders:
                  - x-token
                  exposeHeaders:
                  - x-trace
                  maxAge: 24h
                  allowCredentials: true
                route:
                - destination:
                    host: backend
            """;
}
