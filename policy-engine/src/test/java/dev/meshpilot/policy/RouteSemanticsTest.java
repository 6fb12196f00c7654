package dev.meshpilot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.internal.CompiledSnapshot;
import dev.meshpilot.policy.route.HttpRouteExtras;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.RouteDecision;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteSemanticsTest {
    static final String GW = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: istio-system}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: ["*/*.example.com", "team/api.internal"]
            ---
            """;

    static MeshSnapshot compile(String yaml) {
        return Seed.compile(List.of(new SourceFile("t.yaml", yaml)));
    }

    static String vs(String name, String ns, String hosts, String gateways, String http) {
        return "apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata: {name: " + name + ", namespace: "
                + ns + "}\nspec:\n  hosts: " + hosts + "\n" + (gateways == null ? "" : "  gateways: " + gateways + "\n")
                + "  http:\n" + http + "---\n";
    }

    static String to(String host) {
        return "  - route: [{destination: {host: " + host + "}}]\n";
    }

    static RouteDecision gw(MeshSnapshot s, String authority, String path, Map<String, List<String>> headers) {
        return s.route(ProxyRef.ingressGateway(), new RequestAttributes("GET", authority, path, 80, headers));
    }

    static String host(RouteDecision d) {
        return d.routed() ? d.destinations().get(0).host() : "none";
    }

    @Test
    void exactHostBeatsLongestWildcardBeatsStar() {
        MeshSnapshot s = compile(GW + vs("star", "default", "['*']", "[istio-system/gw]", to("star"))
                + vs("wild", "default", "['*.example.com']", "[istio-system/gw]", to("wild"))
                + vs("exact", "default", "[a.example.com]", "[istio-system/gw]", to("exact")));
        assertThat(host(gw(s, "a.example.com:80", "/", Map.of()))).isEqualTo("exact.default.svc.cluster.local");
        assertThat(host(gw(s, "b.example.com", "/", Map.of()))).isEqualTo("wild.default.svc.cluster.local");
        assertThat(host(gw(s, "other.org", "/", Map.of()))).as("gateway hosts restrict").isEqualTo("none");
    }

    @Test
    void gatewayNamespaceSlashHostAdmitsOnlyThatNamespace() {
        MeshSnapshot s = compile(GW + vs("a", "team", "[api.internal]", "[istio-system/gw]", to("api"))
                + vs("b", "other", "[api2.internal]", "[istio-system/gw]", to("api2")));
        assertThat(host(gw(s, "api.internal", "/", Map.of()))).isEqualTo("api.team.svc.cluster.local");
        assertThat(host(gw(s, "api2.internal", "/", Map.of()))).isEqualTo("none");
    }

    @Test
    void firstMatchingRuleWinsWithOredBlocksAndAndedConditions() {
        String http = """
                  - match:
                    - uri: {regex: "/v[0-9]+"}
                      method: {exact: POST}
                    - queryParams: {debug: {exact: "1"}}
                    route: [{destination: {host: one}}]
                  - match:
                    - headers: {x-team: {prefix: blue}}
                      withoutHeaders: {x-skip: {}}
                    route: [{destination: {host: two}}]
                  - route: [{destination: {host: three}}]
                """;
        MeshSnapshot s = compile(GW + vs("r", "default", "[r.example.com]", "[istio-system/gw]", http));
        ProxyRef p = ProxyRef.ingressGateway();
        assertThat(host(s.route(p, new RequestAttributes("POST", "r.example.com", "/v12", 80, Map.of())))).startsWith("one.");
        assertThat(host(s.route(p, new RequestAttributes("POST", "r.example.com", "/v12/x", 80, Map.of()))))
                .as("regex is a full match").startsWith("three.");
        assertThat(host(gw(s, "r.example.com", "/x?a=b&debug=1", Map.of()))).startsWith("one.");
        assertThat(host(gw(s, "r.example.com", "/", Map.of("X-Team", List.of("blue-7"))))).startsWith("two.");
        assertThat(host(gw(s, "r.example.com", "/", Map.of("x-team", List.of("blue"), "x-skip", List.of("y")))))
                .startsWith("three.");
    }

    @Test
    void sidecarSeesMeshVirtualServicesByExportToAndSourceLabels() {
        String http = """
                  - match: [{sourceLabels: {version: v2}}]
                    route: [{destination: {host: reviews, subset: v2}}]
                  - route: [{destination: {host: reviews, subset: v1}}]
                """;
        String yaml = vs("reviews", "default", "[reviews]", null, http).replace("spec:\n", "spec:\n  exportTo: ['.']\n") + """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec:
                  host: reviews
                  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: reviews}
                spec: {selector: {app: reviews}, ports: [{port: 9080}]}
                """;
        MeshSnapshot s = compile(yaml);
        RequestAttributes req = RequestAttributes.of("GET", "reviews:9080", "/", 9080);
        assertThat(s.route(ProxyRef.sidecar("default", "a", Map.of("version", "v2"), "default"), req)
                .destinations().get(0).subset()).isEqualTo("v2");
        assertThat(s.route(ProxyRef.sidecar("default", "a", Map.of("version", "v1"), "default"), req)
                .destinations().get(0).subset()).isEqualTo("v1");
        RouteDecision fromOther = s.route(ProxyRef.sidecar("other", "a", Map.of(), "default"),
                RequestAttributes.of("GET", "reviews.default.svc.cluster.local:9080", "/", 9080));
        assertThat(fromOther.virtualService()).as("exportTo . hides it").isNull();
        assertThat(fromOther.destinations().get(0).port()).isEqualTo(9080);
    }

    @Test
    void parsesRedirectFaultMirrorHeadersAndCors() {
        String http = """
                  - redirect: {uri: /new, authority: b.example.com}
                    match: [{uri: {exact: /old}}]
                  - route: [{destination: {host: x}}]
                    fault:
                      delay: {fixedDelay: 500ms, percentage: {value: 10}}
                      abort: {httpStatus: 503, percentage: {value: 0.5}}
                    mirror: {host: shadow}
                    mirrorPercentage: {value: 25}
                    headers: {request: {set: {x-a: "1"}, remove: [x-b]}}
                    corsPolicy: {allowOrigins: [{exact: "https://a"}], allowMethods: [GET], maxAge: 1m}
                """;
        MeshSnapshot s = compile(GW + vs("x", "default", "[x.example.com]", "[istio-system/gw]", http));
        RouteDecision redirect = gw(s, "x.example.com", "/old", Map.of());
        assertThat(redirect.routed()).isFalse();
        assertThat(redirect.virtualService()).isEqualTo("default/x");
        HttpRouteExtras extras = ((CompiledSnapshot) s).model().virtualServices().get(0).http().get(1).decision().extras();
        assertThat(extras.fault().delay()).isEqualTo(new HttpRouteExtras.Delay(Duration.ofMillis(500), 10));
        assertThat(extras.fault().abort()).isEqualTo(new HttpRouteExtras.Abort(503, 0.5));
        assertThat(extras.mirror()).isEqualTo(new HttpRouteExtras.Mirror("shadow.default.svc.cluster.local", null, null, 25));
        assertThat(extras.requestHeaders().set()).containsEntry("x-a", "1");
        assertThat(extras.requestHeaders().remove()).containsExactly("x-b");
        assertThat(extras.corsPolicy().allowOrigins()).containsExactly(HttpRouteExtras.OriginMatch.exact("https://a"));
        assertThat(extras.corsPolicy().maxAge()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void retryOnSplitsOnCommasAndBadValuesAreFindings() {
        MeshSnapshot s = compile(GW + vs("x", "default", "[x.example.com]", "[istio-system/gw]",
                "  - route: [{destination: {host: x}}]\n    retries: {attempts: 3, retryOn: '5xx, reset,connect-failure'}\n"));
        assertThat(gw(s, "x.example.com", "/", Map.of()).retries().retryOn()).containsExactly("5xx", "reset", "connect-failure");
        CompileResult bad = MeshCompiler.compile("v", List.of(new SourceFile("b.yaml", GW + vs("x", "default",
                "[x.example.com]", "[istio-system/gw]", "  - route: [{destination: {host: x}, weight: 150}]\n    timeout: soon\n"))));
        assertThat(bad.errors()).extracting(Finding::message).contains("weight: 150 (expected: 0..100)",
                "duration: soon (expected: like 10s, 500ms, 1m)");
    }

    @Test
    void routesTlsBySniAndPortAndTcpByPort() {
        MeshSnapshot s = Seed.compile(Seed.files("external-service.yaml"));
        ProxyRef hello = ProxyRef.sidecar("default", "hello", Map.of("app", "hello"), "default");
        RouteDecision tls = s.routeConnection(hello, "ifconfig.co", 443, "ifconfig.co");
        assertThat(tls.virtualService()).isEqualTo("default/ifconfig-co");
        assertThat(tls.destinations()).containsExactly(new dev.meshpilot.policy.route.WeightedDestination("ifconfig.co",
                null, 443, 100));
        RouteDecision plain = s.routeConnection(hello, "ifconfig.co", 80, null);
        assertThat(plain.virtualService()).isNull();
        assertThat(plain.destinations().get(0).host()).isEqualTo("ifconfig.co");
        assertThat(s.routeConnection(hello, "unknown.org", 443, "unknown.org").routed()).isFalse();
        MeshSnapshot tcp = compile(vs("db", "default", "[db]", null, "").replace("  http:\n",
                "  tcp:\n  - match: [{port: 5432}]\n    route: [{destination: {host: db-primary}}]\n"));
        assertThat(host(tcp.routeConnection(hello, "db", 5432, null))).isEqualTo("db-primary.default.svc.cluster.local");
        assertThat(tcp.routeConnection(hello, "db", 3306, null).routed()).isFalse();
    }

    @Test
    void trafficPolicyMergesRulePortSubsetLevelsAndPrefersExactHostOverWildcard() {
        MeshSnapshot s = compile("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: all}
                spec:
                  host: "*.local"
                  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: hello}
                spec:
                  host: hello
                  trafficPolicy:
                    loadBalancer: {simple: LEAST_REQUEST}
                    outlierDetection: {consecutive5xxErrors: 3, interval: 10s, baseEjectionTime: 30s}
                    portLevelSettings:
                    - port: {number: 9090}
                      loadBalancer: {simple: RANDOM}
                  subsets:
                  - name: v2
                    labels: {version: v2}
                    trafficPolicy:
                      connectionPool: {tcp: {maxConnections: 7}, http: {http1MaxPendingRequests: 2}}
                """);
        String hello = "hello.default.svc.cluster.local";
        assertThat(s.trafficPolicy("world.default.svc.cluster.local", null, 80).tlsMode()).isEqualTo("ISTIO_MUTUAL");
        var v2 = s.trafficPolicy(hello, "v2", 8080);
        assertThat(v2.tlsMode()).as("exact host rule wins whole").isNull();
        assertThat(v2.loadBalancer()).isEqualTo("LEAST_REQUEST");
        assertThat(v2.outlierDetection().consecutive5xxErrors()).isEqualTo(3);
        assertThat(v2.outlierDetection().baseEjectionTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(v2.connectionPool().maxConnections()).isEqualTo(7);
        assertThat(s.trafficPolicy(hello, null, 9090).loadBalancer()).isEqualTo("RANDOM");
        assertThat(s.trafficPolicy(hello, null, 9090).connectionPool()).isNull();
    }

    @Test
    void sidecarEgressHostsLimitWhatAWorkloadReaches() {
        MeshSnapshot s = compile("""
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: default, namespace: ns1}
                spec:
                  egress:
                  - hosts: ["./*", "istio-system/*"]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: world, namespace: ns2}
                spec: {selector: {app: world}, ports: [{port: 8080}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: end, namespace: ns1}
                spec: {selector: {app: end}, ports: [{port: 8080}]}
                """);
        ProxyRef hello = ProxyRef.sidecar("ns1", "hello", Map.of("app", "hello"), "default");
        assertThat(s.route(hello, RequestAttributes.of("GET", "world.ns2:8080", "/", 8080)).routed()).isFalse();
        assertThat(s.route(hello, RequestAttributes.of("GET", "end:8080", "/", 8080)).routed()).isTrue();
        ProxyRef other = ProxyRef.sidecar("ns3", "x", Map.of(), "default");
        assertThat(s.route(other, RequestAttributes.of("GET", "world.ns2:8080", "/", 8080)).routed()).isTrue();
    }
}
