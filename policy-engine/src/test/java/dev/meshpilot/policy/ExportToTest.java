package dev.meshpilot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.RouteDecision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** exportTo of VirtualService, DestinationRule and ServiceEntry, and Istio's DestinationRule lookup order. */
class ExportToTest {
    static final String SERVICES = """
            apiVersion: v1
            kind: Service
            metadata: {name: reviews, namespace: shop}
            spec:
              selector: {app: reviews}
              ports: [{port: 9080, name: http}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: ratings, namespace: shop}
            spec:
              selector: {app: ratings}
              ports: [{port: 9080, name: http}]
            ---
            """;

    static MeshSnapshot compile(String yaml) {
        return Seed.compile(List.of(new SourceFile("t.yaml", yaml)));
    }

    static ProxyRef sidecarIn(String ns) {
        return ProxyRef.sidecar(ns, "client", Map.of("app", "client"), "default");
    }

    static RouteDecision call(MeshSnapshot s, String ns, String authority) {
        return s.route(sidecarIn(ns), new RequestAttributes("GET", authority, "/", 9080, Map.of()));
    }

    static String vs(String name, String ns, String exportTo) {
        return "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: " + name + ", namespace: " + ns
                + "}\nspec:\n  hosts: [reviews.shop.svc.cluster.local]\n" + (exportTo == null ? "" : "  exportTo: " + exportTo + "\n")
                + "  http:\n  - route: [{destination: {host: reviews.shop.svc.cluster.local, subset: v1}}]\n---\n";
    }

    static String dr(String name, String ns, String host, String exportTo, String lb) {
        return "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: " + name + ", namespace: " + ns
                + "}\nspec:\n  host: " + host + "\n" + (exportTo == null ? "" : "  exportTo: " + exportTo + "\n")
                + "  trafficPolicy: {loadBalancer: {simple: " + lb + "}}\n  subsets: [{name: v1, labels: {version: v1}}]\n---\n";
    }

    @Test
    void virtualServiceWithoutExportToIsSeenFromEveryNamespace() {
        MeshSnapshot s = compile(SERVICES + vs("reviews", "shop", null) + dr("reviews", "shop", "reviews", null, "RANDOM"));
        assertThat(call(s, "web", "reviews.shop:9080").virtualService()).isEqualTo("shop/reviews");
        assertThat(call(s, "shop", "reviews:9080").virtualService()).isEqualTo("shop/reviews");
    }

    @Test
    void virtualServiceExportedToDotIsSeenOnlyInItsOwnNamespace() {
        MeshSnapshot s = compile(SERVICES + vs("reviews", "shop", "['.']") + dr("reviews", "shop", "reviews", null, "RANDOM"));
        assertThat(call(s, "shop", "reviews:9080").virtualService()).isEqualTo("shop/reviews");
        RouteDecision web = call(s, "web", "reviews.shop:9080");
        assertThat(web.virtualService()).as("web gets the default route").isNull();
        assertThat(web.rule()).isEqualTo(-1);
    }

    @Test
    void virtualServiceExportedToAListIsSeenOnlyThere() {
        MeshSnapshot s = compile(SERVICES + vs("reviews", "shop", "[web]") + dr("reviews", "shop", "reviews", null, "RANDOM"));
        assertThat(call(s, "web", "reviews.shop:9080").virtualService()).isEqualTo("shop/reviews");
        assertThat(call(s, "admin", "reviews.shop:9080").virtualService()).isNull();
        assertThat(call(s, "shop", "reviews:9080").virtualService()).as("not listed: not visible at home either").isNull();
    }

    @Test
    void virtualServiceExportedToTildeIsSeenNowhere() {
        MeshSnapshot s = compile(SERVICES + vs("reviews", "shop", "['~']") + dr("reviews", "shop", "reviews", null, "RANDOM"));
        assertThat(call(s, "shop", "reviews:9080").virtualService()).isNull();
    }

    @Test
    void gatewaySeesOnlyVirtualServicesExportedToItsNamespace() {
        String gw = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*/*"]}]
                ---
                """;
        String bound = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: front, namespace: shop}\n"
                + "spec:\n  hosts: [shop.example.com]\n  gateways: [istio-system/gw]\n  exportTo: %s\n"
                + "  http:\n  - route: [{destination: {host: reviews}}]\n";
        RequestAttributes req = new RequestAttributes("GET", "shop.example.com", "/", 80, Map.of());
        MeshSnapshot hidden = compile(SERVICES + gw + bound.formatted("['.']"));
        assertThat(hidden.route(ProxyRef.ingressGateway(), req).routed()).isFalse();
        MeshSnapshot exported = compile(SERVICES + gw + bound.formatted("['.', istio-system]"));
        assertThat(exported.route(ProxyRef.ingressGateway(), req).virtualService()).isEqualTo("shop/front");
    }

    @Test
    void serviceEntryExportedToDotIsUnknownElsewhere() {
        String se = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: api, namespace: shop}
                spec:
                  hosts: [api.partner.com]
                  exportTo: ['.']
                  location: MESH_EXTERNAL
                  resolution: DNS
                  ports: [{number: 443, name: tls, protocol: TLS}]
                """;
        MeshSnapshot s = compile(SERVICES + se);
        ProxyRef shop = sidecarIn("shop");
        assertThat(s.routeConnection(shop, "api.partner.com", 443, null).routed()).isTrue();
        assertThat(s.routeConnection(sidecarIn("web"), "api.partner.com", 443, null).routed()).isFalse();
    }

    @Test
    void destinationRuleOfTheClientNamespaceBeatsTheServiceNamespace() {
        MeshSnapshot s = compile(SERVICES + dr("reviews", "shop", "reviews", null, "RANDOM")
                + dr("reviews-web", "web", "reviews.shop.svc.cluster.local", null, "LEAST_REQUEST"));
        assertThat(s.trafficPolicy("web", "reviews.shop.svc.cluster.local", null, 9080).loadBalancer())
                .isEqualTo("LEAST_REQUEST");
        assertThat(s.trafficPolicy("admin", "reviews.shop.svc.cluster.local", null, 9080).loadBalancer()).isEqualTo("RANDOM");
        assertThat(s.trafficPolicy("shop", "reviews.shop.svc.cluster.local", null, 9080).loadBalancer()).isEqualTo("RANDOM");
    }

    @Test
    void destinationRuleExportedToDotAppliesOnlyInItsNamespaceThenRootNamespaceApplies() {
        MeshSnapshot s = compile(SERVICES + dr("reviews", "shop", "reviews", "['.']", "RANDOM")
                + dr("mesh-default", "istio-system", "'*.local'", null, "ROUND_ROBIN"));
        assertThat(s.trafficPolicy("shop", "reviews.shop.svc.cluster.local", null, 9080).loadBalancer()).isEqualTo("RANDOM");
        assertThat(s.trafficPolicy("web", "reviews.shop.svc.cluster.local", null, 9080).loadBalancer())
                .as("root namespace rule applies mesh-wide").isEqualTo("ROUND_ROBIN");
        assertThat(s.trafficPolicy("web", "ratings.shop.svc.cluster.local", null, 9080).loadBalancer()).isEqualTo("ROUND_ROBIN");
    }

    @Test
    void destinationRuleExportedToOtherNamespacesIsStillSeenAtHome() {
        MeshSnapshot s = compile(SERVICES + dr("reviews", "shop", "reviews", "[web]", "RANDOM"));
        assertThat(s.trafficPolicy("shop", "reviews.shop.svc.cluster.local", null, 9080).loadBalancer()).isEqualTo("RANDOM");
        assertThat(s.trafficPolicy("web", "reviews.shop.svc.cluster.local", null, 9080).loadBalancer()).isEqualTo("RANDOM");
        assertThat(s.trafficPolicy("admin", "reviews.shop.svc.cluster.local", null, 9080).loadBalancer()).isNull();
    }

    @Test
    void exportToValuesMustBeDotStarTildeOrANamespace() {
        CompileResult r = MeshCompiler.compile("t", List.of(new SourceFile("t.yaml",
                SERVICES + vs("reviews", "shop", "[Web_Team]") + dr("reviews", "shop", "reviews", "['*', web]", "RANDOM"))));
        assertThat(r.snapshot()).isNull();
        assertThat(r.errors()).extracting(Finding::code, Finding::field, Finding::message).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("MP0103", "spec.exportTo",
                        "exportTo: Web_Team (expected: ., *, ~ or a namespace name)"),
                org.assertj.core.groups.Tuple.tuple("MP0103", "spec.exportTo", "exportTo: [*, web] (expected: * or ~ alone)"));
    }

    @Test
    void subsetsResolveFromTheDestinationRuleTheClientNamespaceUses() {
        String webRule = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews-web, namespace: web}\n"
                + "spec:\n  host: reviews.shop.svc.cluster.local\n  subsets: [{name: canary, labels: {track: canary}}]\n---\n";
        MeshSnapshot s = compile(SERVICES + dr("reviews", "shop", "reviews", "['.']", "RANDOM") + webRule);
        String reviews = "reviews.shop.svc.cluster.local";
        assertThat(s.resolve("shop", reviews, "v1", 9080)).hasValueSatisfying(
                d -> assertThat(d.selector()).isEqualTo(Map.of("app", "reviews", "version", "v1")));
        assertThat(s.resolve("web", reviews, "canary", 9080)).hasValueSatisfying(
                d -> assertThat(d.selector()).isEqualTo(Map.of("app", "reviews", "track", "canary")));
        assertThat(s.resolve("web", reviews, "v1", 9080)).as("shop's rule is not exported to web").isEmpty();
        assertThat(s.resolve("admin", reviews, "v1", 9080)).isEmpty();
        assertThat(s.resolve("admin", reviews, null, 9080)).as("no subset: every endpoint").isPresent();
    }
}
