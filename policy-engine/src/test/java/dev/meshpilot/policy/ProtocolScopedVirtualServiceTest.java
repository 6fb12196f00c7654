package dev.meshpilot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.RouteDecision;
import dev.meshpilot.policy.route.WeightedDestination;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A VirtualService takes part only in the protocols it has routes for (Istio builds http, tls and tcp routes apart). */
class ProtocolScopedVirtualServiceTest {
    static final ProxyRef SLEEP = ProxyRef.sidecar("default", "sleep", Map.of("app", "sleep"), "default");

    static final String API = """
            apiVersion: v1
            kind: Service
            metadata: {name: api, namespace: default}
            spec: {selector: {app: api}, ports: [{name: http, port: 8080}, {name: tcp, port: 9000}]}
            ---
            """;

    @Test
    void aTlsOnlyVirtualServiceLeavesTheTutorialsPlainHttpCallToIfconfigRouted() {
        MeshSnapshot snapshot = Seed.compile(Seed.files("external-service.yaml"));
        RouteDecision d = snapshot.route(SLEEP, RequestAttributes.of("GET", "ifconfig.co", "/", 80));
        assertThat(d.routed()).isTrue();
        assertThat(d.virtualService()).isNull();
        assertThat(d.destinations()).containsExactly(new WeightedDestination("ifconfig.co", null, 80, 100));
    }

    @Test
    void theTutorialsTlsRouteStillDecidesHttpsToIfconfig() {
        MeshSnapshot snapshot = Seed.compile(Seed.files("external-service.yaml"));
        RouteDecision d = snapshot.routeConnection(SLEEP, "ifconfig.co", 443, "ifconfig.co");
        assertThat(d.virtualService()).isEqualTo("default/ifconfig-co");
        assertThat(d.rule()).isZero();
        assertThat(d.destinations()).containsExactly(new WeightedDestination("ifconfig.co", null, 443, 100));
    }

    @Test
    void aTcpOnlyVirtualServiceDoesNotHideTheHttpDefaultRoute() {
        MeshSnapshot snapshot = Seed.compile(List.of(new SourceFile("c.yaml", API + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: api-tcp, namespace: default}
                spec:
                  hosts: [api]
                  tcp:
                  - match: [{port: 9000}]
                    route: [{destination: {host: api, port: {number: 9000}}}]
                """)));
        RouteDecision d = snapshot.route(SLEEP, RequestAttributes.of("GET", "api:8080", "/", 8080));
        assertThat(d.virtualService()).isNull();
        assertThat(d.destinations()).containsExactly(
                new WeightedDestination("api.default.svc.cluster.local", null, 8080, 100));
        assertThat(snapshot.routeConnection(SLEEP, "api", 9000, null).virtualService()).isEqualTo("default/api-tcp");
    }

    @Test
    void anHttpOnlyVirtualServiceDoesNotHideTheTcpDefaultRouteBehindAWildcardTcpRoute() {
        MeshSnapshot snapshot = Seed.compile(List.of(new SourceFile("c.yaml", API + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: api-http, namespace: default}
                spec:
                  hosts: [api.default.svc.cluster.local]
                  http:
                  - route: [{destination: {host: api, port: {number: 8080}}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: all-tcp, namespace: default}
                spec:
                  hosts: ["*.default.svc.cluster.local"]
                  tcp:
                  - match: [{port: 9000}]
                    route: [{destination: {host: api, port: {number: 9000}}, weight: 100}]
                """)));
        assertThat(snapshot.routeConnection(SLEEP, "api", 9000, null).virtualService()).isEqualTo("default/all-tcp");
        assertThat(snapshot.route(SLEEP, RequestAttributes.of("GET", "api:8080", "/", 8080)).virtualService())
                .isEqualTo("default/api-http");
    }

    @Test
    void anHttpOnlyVirtualServiceLeavesTheTlsDefaultRoute() {
        MeshSnapshot snapshot = Seed.compile(List.of(new SourceFile("c.yaml", """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: ext, namespace: default}
                spec:
                  hosts: [ext.example.com]
                  ports: [{number: 80, name: http, protocol: HTTP}, {number: 443, name: tls, protocol: TLS}]
                  resolution: DNS
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: ext, namespace: default}
                spec:
                  hosts: [ext.example.com]
                  http:
                  - route: [{destination: {host: ext.example.com}}]
                """)));
        RouteDecision d = snapshot.routeConnection(SLEEP, "ext.example.com", 443, "ext.example.com");
        assertThat(d.virtualService()).isNull();
        assertThat(d.destinations()).containsExactly(new WeightedDestination("ext.example.com", null, 443, 100));
    }

    @Test
    void aTlsOnlyVirtualServiceOnAGatewayDoesNotHideAWildcardHttpHost() {
        MeshSnapshot snapshot = Seed.compile(List.of(new SourceFile("c.yaml", API + """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: default}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*"]
                  - port: {number: 443, name: tls, protocol: TLS}
                    tls: {mode: PASSTHROUGH}
                    hosts: ["*"]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: web, namespace: default}
                spec:
                  hosts: ["*"]
                  gateways: [gw]
                  http:
                  - route: [{destination: {host: api, port: {number: 8080}}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: passthrough, namespace: default}
                spec:
                  hosts: [secure.example.com]
                  gateways: [gw]
                  tls:
                  - match: [{port: 443, sniHosts: [secure.example.com]}]
                    route: [{destination: {host: api, port: {number: 8080}}}]
                """)));
        RouteDecision d = snapshot.route(ProxyRef.ingressGateway(),
                RequestAttributes.of("GET", "secure.example.com", "/", 80));
        assertThat(d.virtualService()).isEqualTo("default/web");
        assertThat(snapshot.routeConnection(ProxyRef.ingressGateway(), "secure.example.com", 443, "secure.example.com")
                .virtualService()).isEqualTo("default/passthrough");
    }
}
