package dev.meshpilot.policy;

import static dev.meshpilot.policy.RouteSemanticsTest.GW;
import static dev.meshpilot.policy.RouteSemanticsTest.compile;
import static dev.meshpilot.policy.RouteSemanticsTest.gw;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.route.HttpRouteExtras;
import dev.meshpilot.policy.route.HttpRouteExtras.Abort;
import dev.meshpilot.policy.route.HttpRouteExtras.CorsPolicy;
import dev.meshpilot.policy.route.HttpRouteExtras.Delay;
import dev.meshpilot.policy.route.HttpRouteExtras.DirectResponse;
import dev.meshpilot.policy.route.HttpRouteExtras.Fault;
import dev.meshpilot.policy.route.HttpRouteExtras.HeaderOperations;
import dev.meshpilot.policy.route.HttpRouteExtras.MatchKind;
import dev.meshpilot.policy.route.HttpRouteExtras.Mirror;
import dev.meshpilot.policy.route.HttpRouteExtras.OriginMatch;
import dev.meshpilot.policy.route.HttpRouteExtras.Redirect;
import dev.meshpilot.policy.route.HttpRouteExtras.RegexRewrite;
import dev.meshpilot.policy.route.HttpRouteExtras.Rewrite;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.RouteDecision;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The public extras of an http rule, from YAML (v1 and v1alpha3 spellings) into {@link RouteDecision#extras()}. */
class RouteExtrasTest {

    static String vs(String apiVersion, String http) {
        return "apiVersion: networking.istio.io/" + apiVersion + "\nkind: VirtualService\n"
                + "metadata: {name: x, namespace: default}\nspec:\n  hosts: [x.example.com]\n"
                + "  gateways: [istio-system/gw, mesh]\n  http:\n" + http + "---\n";
    }

    static RouteDecision at(MeshSnapshot s, String path) {
        return gw(s, "x.example.com", path, Map.of());
    }

    static final String V1 = """
              - match: [{uri: {prefix: /moved}}]
                redirect: {uri: /new, authority: new.example.com, scheme: https, port: 8443,
                           derivePort: FROM_REQUEST_PORT, redirectCode: 308}
              - match: [{uri: {exact: /teapot}}]
                directResponse: {status: 418, body: {string: "short and stout"}}
              - match: [{uri: {prefix: /api/v1}}]
                rewrite: {uri: /v2, authority: api.internal}
                route: [{destination: {host: x}}]
              - match: [{uri: {prefix: /service}}]
                rewrite: {uriRegexRewrite: {match: "^/service/([^/]+)(/.*)$", rewrite: "\\\\2/instance/\\\\1"}}
                route: [{destination: {host: x}}]
              - route: [{destination: {host: x}}]
                headers:
                  request: {set: {x-a: "1"}, add: {x-b: "2"}, remove: [x-c]}
                  response: {set: {x-d: "3"}, add: {x-e: "4"}, remove: [x-f]}
                fault:
                  delay: {fixedDelay: 2s, percentage: {value: 12.5}}
                  abort: {httpStatus: 503, percentage: {value: 0.5}}
                mirror: {host: shadow, subset: v2, port: {number: 8080}}
                mirrorPercentage: {value: 25}
                corsPolicy:
                  allowOrigins: [{exact: "https://a.example.com"}, {prefix: "https://b"}, {regex: "https://.*\\\\.c\\\\.com"}]
                  allowMethods: [GET, POST]
                  allowHeaders: [x-h]
                  exposeHeaders: [x-exposed]
                  maxAge: 24h
                  allowCredentials: true
            """;

    @Test
    void carriesEveryExtraOfAV1RuleIntoTheDecision() {
        MeshSnapshot s = compile(GW + vs("v1", V1));

        RouteDecision redirect = at(s, "/moved/here");
        assertThat(redirect.routed()).isFalse();
        assertThat(redirect.extras().redirect()).isEqualTo(new Redirect("/new", "new.example.com", "https", 8443,
                "FROM_REQUEST_PORT", 308));
        assertThat(at(s, "/teapot").extras().directResponse()).isEqualTo(new DirectResponse(418, "short and stout"));
        RouteDecision rewrite = at(s, "/api/v1/users");
        assertThat(rewrite.extras().rewrite()).isEqualTo(new Rewrite("/v2", null, "api.internal"));
        assertThat(rewrite.matchedPrefix()).isEqualTo("/api/v1");
        assertThat(at(s, "/service/a/b").extras().rewrite()).isEqualTo(new Rewrite(null,
                new RegexRewrite("^/service/([^/]+)(/.*)$", "\\2/instance/\\1"), null));

        HttpRouteExtras x = at(s, "/other").extras();
        assertThat(x.requestHeaders()).isEqualTo(new HeaderOperations(Map.of("x-a", "1"), Map.of("x-b", "2"), List.of("x-c")));
        assertThat(x.responseHeaders()).isEqualTo(new HeaderOperations(Map.of("x-d", "3"), Map.of("x-e", "4"), List.of("x-f")));
        assertThat(x.fault()).isEqualTo(new Fault(new Delay(Duration.ofSeconds(2), 12.5), new Abort(503, 0.5)));
        assertThat(x.mirror()).isEqualTo(new Mirror("shadow.default.svc.cluster.local", "v2", 8080, 25));
        assertThat(x.corsPolicy()).isEqualTo(new CorsPolicy(List.of(OriginMatch.exact("https://a.example.com"),
                new OriginMatch(MatchKind.PREFIX, "https://b"), new OriginMatch(MatchKind.REGEX, "https://.*\\.c\\.com")),
                List.of("GET", "POST"), List.of("x-h"), List.of("x-exposed"), Duration.ofHours(24), true));
        assertThat(x.redirect()).isNull();
        assertThat(x.rewrite()).isNull();
    }

    @Test
    void readsTheV1alpha3SpellingsIntoTheSameModel() {
        String http = """
                  - match: [{uri: {prefix: /old}}]
                    redirect: {uri: /new}
                  - route: [{destination: {host: x}}]
                    appendHeaders: {x-legacy: "1"}
                    appendRequestHeaders: {x-req: "2"}
                    removeRequestHeaders: [x-gone]
                    appendResponseHeaders: {x-res: "3"}
                    removeResponseHeaders: [server]
                    fault:
                      delay: {fixedDelay: 5s, percent: 10}
                      abort: {httpStatus: 500, percent: 20}
                    mirror: {host: shadow}
                    mirrorPercent: 30
                    corsPolicy: {allowOrigin: ["*", "https://a.example.com"], allowMethods: [GET], maxAge: 1m}
                """;
        MeshSnapshot s = compile(GW + vs("v1alpha3", http));

        assertThat(at(s, "/old").extras().redirect()).isEqualTo(new Redirect("/new", null, null, null, null, 301));
        HttpRouteExtras x = at(s, "/").extras();
        assertThat(x.requestHeaders()).isEqualTo(new HeaderOperations(Map.of(),
                Map.of("x-legacy", "1", "x-req", "2"), List.of("x-gone")));
        assertThat(x.responseHeaders()).isEqualTo(new HeaderOperations(Map.of(), Map.of("x-res", "3"), List.of("server")));
        assertThat(x.fault()).isEqualTo(new Fault(new Delay(Duration.ofSeconds(5), 10), new Abort(500, 20)));
        assertThat(x.mirror()).isEqualTo(new Mirror("shadow.default.svc.cluster.local", null, null, 30));
        assertThat(x.corsPolicy().allowOrigins()).containsExactly(OriginMatch.exact("*"),
                OriginMatch.exact("https://a.example.com"));
        assertThat(x.corsPolicy().allowCredentials()).isNull();
    }

    @Test
    void decodesADirectResponseBodyGivenAsBytes() {
        String http = """
                  - directResponse: {status: 503, body: {bytes: "ZG93biBmb3IgbWFpbnRlbmFuY2U="}}
                """;
        assertThat(at(compile(GW + vs("v1beta1", http)), "/").extras().directResponse())
                .isEqualTo(new DirectResponse(503, "down for maintenance"));
    }

    @Test
    void namesThePrefixOfTheBlockThatMatched() {
        String http = """
                  - match: [{uri: {prefix: /a}}, {uri: {exact: /b/exact}}, {uri: {regex: "/c.*"}}, {headers: {x: {exact: y}}}]
                    rewrite: {uri: /z}
                    route: [{destination: {host: x}}]
                  - match: [{uri: {prefix: /mesh}, gateways: [mesh]}, {uri: {prefix: /m}, gateways: [istio-system/gw]}]
                    rewrite: {uri: /z}
                    route: [{destination: {host: x}}]
                  - rewrite: {uri: /z}
                    route: [{destination: {host: x}}]
                """;
        MeshSnapshot s = compile(GW + vs("v1", http));

        assertThat(at(s, "/a/1").matchedPrefix()).isEqualTo("/a");
        assertThat(at(s, "/b/exact?q=1").matchedPrefix()).isEqualTo("/b/exact");
        assertThat(at(s, "/c1").matchedPrefix()).as("regex").isNull();
        assertThat(gw(s, "x.example.com", "/d", Map.of("x", List.of("y"))).matchedPrefix()).as("no uri").isNull();
        assertThat(at(s, "/mesh/1").matchedPrefix()).as("the gateway's block").isEqualTo("/m");
        RouteDecision sidecar = s.route(ProxyRef.sidecar("default", "client", Map.of(), "default"),
                new RequestAttributes("GET", "x.example.com", "/mesh/1", 80, Map.of()));
        assertThat(sidecar.rule()).isEqualTo(1);
        assertThat(sidecar.matchedPrefix()).as("the mesh block").isEqualTo("/mesh");
        assertThat(sidecar.extras().rewrite()).isEqualTo(new Rewrite("/z", null, null));
        RouteDecision noMatch = at(s, "/zzz");
        assertThat(noMatch.rule()).isEqualTo(2);
        assertThat(noMatch.matchedPrefix()).isNull();
    }

    @Test
    void prebuildsDecisionsPerRuleNotPerRequest() {
        MeshSnapshot s = compile(GW + vs("v1", V1));
        assertThat(at(s, "/api/v1/a")).isSameAs(at(s, "/api/v1/b"));
        assertThat(at(s, "/other").extras()).isSameAs(at(s, "/else").extras());
    }

    @Test
    void answersNoExtrasForPlainRoutesDefaultRoutesAndNone() {
        MeshSnapshot s = compile(GW + vs("v1", "  - route: [{destination: {host: x}}]\n"));
        assertThat(at(s, "/").extras()).isSameAs(HttpRouteExtras.NONE);
        assertThat(at(s, "/").extras().isEmpty()).isTrue();
        assertThat(RouteDecision.none().extras()).isSameAs(HttpRouteExtras.NONE);
        RouteDecision old = new RouteDecision("default/x", 0, List.of(), null, null);
        assertThat(old.extras()).isSameAs(HttpRouteExtras.NONE);
        assertThat(old.matchedPrefix()).isNull();
    }

    @Test
    void reportsBadRegexRewriteDerivePortAndRedirectCode() {
        String http = """
                  - match: [{uri: {prefix: /a}}]
                    rewrite: {uriRegexRewrite: {match: "([", rewrite: x}}
                    route: [{destination: {host: x}}]
                  - match: [{uri: {prefix: /b}}]
                    redirect: {uri: /c, derivePort: SOMETIMES, redirectCode: 200}
                  - route: [{destination: {host: x}}]
                    corsPolicy: {allowOrigins: [{regex: "(("}]}
                  - directResponse: {status: 99}
                """;
        CompileResult r = MeshCompiler.compile("t", List.of(new SourceFile("t.yaml", GW + vs("v1", http))));
        assertThat(r.findings()).extracting(Finding::field).contains("spec.http[0].rewrite.uriRegexRewrite.match",
                "spec.http[1].redirect.derivePort", "spec.http[1].redirect.redirectCode",
                "spec.http[2].corsPolicy.allowOrigins[0].regex", "spec.http[3].directResponse.status");
    }
}
