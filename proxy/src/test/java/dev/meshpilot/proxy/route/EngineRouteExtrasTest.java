package dev.meshpilot.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.CompileResult;
import dev.meshpilot.policy.MeshCompiler;
import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.RouteDecision;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The proxy's {@link RouteExtras} from the engine's public {@code RouteDecision.extras()} and {@code matchedPrefix()}:
 * every field converted, once per rule, and the v1 fields the proxy could not get before (regex rewrite, redirect
 * scheme and port, typed CORS origins) applied at a real gateway.
 */
class EngineRouteExtrasTest {

    private static final String RULES = """
              - match: [{uri: {prefix: /moved}}]
                redirect: {authority: secure.example.com, scheme: https, derivePort: FROM_PROTOCOL_DEFAULT,
                           redirectCode: 302}
              - match: [{uri: {regex: "/nothing"}}, {uri: {prefix: /api/v1}}]
                rewrite: {uri: /v2}
                route: [{destination: {host: backend}}]
              - match: [{uri: {prefix: /service}}]
                rewrite: {uriRegexRewrite: {match: "^/service/([^/]+)(/.*)$", rewrite: "\\\\2/instance/\\\\1"}}
                route: [{destination: {host: backend}}]
              - route: [{destination: {host: backend}}]
                headers: {request: {remove: [X-Secret]}, response: {set: {x-served-by: meshpilot}}}
                fault: {delay: {fixedDelay: 1s, percentage: {value: 5}}, abort: {httpStatus: 418, percentage: {value: 1}}}
                mirror: {host: backend, subset: v2}
                mirrorPercentage: {value: 50}
                corsPolicy:
                  allowOrigins: [{exact: "https://a.example.com"}, {prefix: "https://b."}, {regex: "https://.*\\\\.c\\\\.com"}]
                  allowMethods: [GET]
                  maxAge: 1m
                  allowCredentials: true
            """;

    private final EngineRouteExtras extras = new EngineRouteExtras();
    private final MeshSnapshot snapshot = compile(GatewayHarness.SERVICE + v1(RULES));

    @Test
    void convertsEveryExtraOfTheDecision() {
        RouteExtras redirect = at("/moved/x");
        assertThat(redirect.redirect()).isEqualTo(new RouteExtras.Redirect(null, "secure.example.com", "https", 443, 302));

        RouteExtras prefix = at("/api/v1/items");
        assertThat(prefix.rewrite().uri()).isEqualTo("/v2");
        assertThat(prefix.rewrite().matchedPrefix()).isEqualTo("/api/v1");
        assertThat(RouteActions.rewritePath("/api/v1/items?q=1", prefix.rewrite())).isEqualTo("/v2/items?q=1");

        RouteExtras regex = at("/service/a/b");
        assertThat(RouteActions.rewritePath("/service/a/b?q=1", regex.rewrite())).isEqualTo("/b/instance/a?q=1");

        RouteExtras rest = at("/other");
        assertThat(rest.request().remove()).containsExactly("x-secret");
        assertThat(rest.response().set()).containsEntry("x-served-by", "meshpilot");
        assertThat(rest.fault()).isEqualTo(new RouteExtras.Fault(Duration.ofSeconds(1), 5, 418, 1));
        assertThat(rest.mirror()).isEqualTo(new RouteExtras.Mirror("backend.default.svc.cluster.local", "v2", null, 50));
        assertThat(rest.cors().allowMethods()).containsExactly("GET");
        assertThat(rest.cors().maxAge()).isEqualTo(Duration.ofMinutes(1));
        assertThat(rest.cors().allowCredentials()).isTrue();
    }

    @Test
    void corsOriginsKeepTheirExactPrefixAndRegexMeaning() {
        RouteExtras.Cors cors = at("/other").cors();

        assertThat(CorsPolicy.allows(cors, "https://a.example.com")).isTrue();
        assertThat(CorsPolicy.allows(cors, "https://aXexample.com")).as("exact is no regex").isFalse();
        assertThat(CorsPolicy.allows(cors, "https://b.anything")).isTrue();
        assertThat(CorsPolicy.allows(cors, "https://bb.anything")).isFalse();
        assertThat(CorsPolicy.allows(cors, "https://x.c.com")).isTrue();
        assertThat(CorsPolicy.allows(cors, "https://evil.org")).isFalse();
    }

    @Test
    void convertsOncePerRuleAndAnswersNoneWithoutExtras() {
        assertThat(at("/other")).isSameAs(at("/else"));
        assertThat(at("/api/v1/a")).isSameAs(at("/api/v1/b"));
        MeshSnapshot plain = compile(GatewayHarness.SERVICE + v1("  - route: [{destination: {host: backend}}]\n"));
        RequestAttributes request = new RequestAttributes("GET", "api.example.com", "/", 80, Map.of());
        RouteDecision decision = plain.route(ProxyRef.ingressGateway(), request);
        assertThat(decision.routed()).isTrue();
        assertThat(extras.of(plain, ProxyRef.ingressGateway(), request, decision)).isSameAs(RouteExtras.NONE);
    }

    @Test
    void aRegexRewriteFromYamlReachesTheBackendThroughTheGateway() {
        try (GatewayHarness mesh = new GatewayHarness()) {
            Backend backend = mesh.backend("backend-a");
            mesh.apply(v1(RULES));

            HttpResponse<String> rewritten = mesh.client().get("api.example.com", "/service/a/b?q=1");
            HttpResponse<String> redirected = mesh.client().get("api.example.com", "/moved/x");

            assertThat(rewritten.statusCode()).isEqualTo(200);
            assertThat(backend.received()).extracting(Backend.Received::path).contains("/b/instance/a?q=1");
            assertThat(redirected.statusCode()).isEqualTo(302);
            assertThat(redirected.headers().firstValue("location")).hasValue("https://secure.example.com:443/moved/x");
        }
    }

    private RouteExtras at(String path) {
        RequestAttributes request = new RequestAttributes("GET", "api.example.com", path, 80, Map.of());
        return extras.of(snapshot, ProxyRef.ingressGateway(), request, snapshot.route(ProxyRef.ingressGateway(), request));
    }

    private static MeshSnapshot compile(String yaml) {
        CompileResult result = MeshCompiler.compile("v1", List.of(new SourceFile("test.yaml", yaml)));
        assertThat(result.snapshot()).as(result.findings().toString()).isNotNull();
        return result.snapshot();
    }

    static String v1(String rules) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: api}
                spec:
                  hosts: [api.example.com]
                  gateways: [gw]
                  http:
                """ + rules;
    }
}
