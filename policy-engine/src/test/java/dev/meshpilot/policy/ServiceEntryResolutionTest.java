package dev.meshpilot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.route.ExternalDestination;
import dev.meshpilot.policy.route.ExternalDestination.Target;
import dev.meshpilot.policy.route.ExternalService;
import dev.meshpilot.policy.route.ExternalService.Location;
import dev.meshpilot.policy.route.ExternalService.Port;
import dev.meshpilot.policy.route.ExternalService.Resolution;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ServiceEntry details for the data plane: resolution, ports, endpoints, subsets, exportTo and host precedence. */
class ServiceEntryResolutionTest {
    static final String STATIC_DB = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: db, namespace: shop}
            spec:
              hosts: [db.internal]
              addresses: [10.10.0.0/24]
              location: MESH_INTERNAL
              resolution: STATIC
              ports:
              - {number: 5432, name: tcp-pg, protocol: TCP, targetPort: 6432}
              - {number: 80, name: http, protocol: HTTP}
              endpoints:
              - address: 10.10.0.5
                labels: {version: v1}
              - address: 10.10.0.6
                ports: {http: 8080}
                labels: {version: v2}
                weight: 3
                network: net-b
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: db, namespace: shop}
            spec:
              host: db.internal
              subsets:
              - {name: v2, labels: {version: v2}}
            """;

    static MeshSnapshot compile(String yaml) {
        return Seed.compile(List.of(new SourceFile("se.yaml", yaml)));
    }

    static List<Finding> findings(String yaml) {
        return MeshCompiler.compile("v", List.of(new SourceFile("se.yaml", yaml))).findings();
    }

    @Test
    void exposesResolutionLocationPortsAndEndpoints() {
        ExternalService db = compile(STATIC_DB).serviceEntry("shop", "DB.internal", 5432).orElseThrow();
        assertThat(db.namespace()).isEqualTo("shop");
        assertThat(db.name()).isEqualTo("db");
        assertThat(db.resolution()).isEqualTo(Resolution.STATIC);
        assertThat(db.location()).isEqualTo(Location.MESH_INTERNAL);
        assertThat(db.addresses()).containsExactly("10.10.0.0/24");
        assertThat(db.ports()).containsExactly(new Port(5432, "tcp-pg", "TCP", 6432), new Port(80, "http", "HTTP", null));
        assertThat(db.endpoints()).hasSize(2);
        assertThat(db.endpoints().get(1).weight()).isEqualTo(3);
        assertThat(db.endpoints().get(1).network()).isEqualTo("net-b");
    }

    @Test
    void staticEndpointsUseThePortMapThenTargetPortThenTheNumber() {
        MeshSnapshot s = compile(STATIC_DB);
        ExternalDestination pg = s.resolveExternal("shop", "db.internal", null, 5432).orElseThrow();
        assertThat(pg.targets()).extracting(Target::address, Target::port)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("10.10.0.5", 6432),
                        org.assertj.core.groups.Tuple.tuple("10.10.0.6", 6432));
        ExternalDestination http = s.resolveExternal("shop", "db.internal", null, 80).orElseThrow();
        assertThat(http.targets()).extracting(Target::port).containsExactly(80, 8080);
    }

    @Test
    void aSubsetSelectsTheEndpointsWithItsLabels() {
        MeshSnapshot s = compile(STATIC_DB);
        ExternalDestination v2 = s.resolveExternal("shop", "db.internal", "v2", 80).orElseThrow();
        assertThat(v2.subset()).isEqualTo("v2");
        assertThat(v2.targets()).containsExactly(new Target("10.10.0.6", 8080, 3, Map.of("version", "v2"), "net-b"));
        assertThat(s.resolveExternal("shop", "db.internal", "v9", 80)).as("undefined subset").isEmpty();
        assertThat(s.resolveExternal("shop", "db.internal", null, 9999)).as("undeclared port").isEmpty();
    }

    @Test
    void dnsWithoutEndpointsConnectsToTheHostAndNoneToTheRequestedHost() {
        MeshSnapshot s = compile("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: api, namespace: default}
                spec:
                  hosts: [api.example.com]
                  resolution: DNS
                  ports: [{number: 443, name: tls, protocol: TLS, targetPort: 8443}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: wiki, namespace: default}
                spec:
                  hosts: ["*.wikipedia.org"]
                  ports: [{number: 443, name: tls, protocol: TLS}]
                """);
        assertThat(s.resolveExternal("default", "api.example.com", null, 443).orElseThrow().targets())
                .containsExactly(new Target("api.example.com", 8443, 0, Map.of(), null));
        ExternalDestination wiki = s.resolveExternal("default", "en.wikipedia.org", null, 443).orElseThrow();
        assertThat(wiki.service().resolution()).isEqualTo(Resolution.NONE);
        assertThat(wiki.targets()).containsExactly(new Target("en.wikipedia.org", 443, 0, Map.of(), null));
    }

    @Test
    void theTutorialsTwoEntriesForOneHostAreTellApartByPort() {
        MeshSnapshot s = Seed.compile(Seed.files("external-service.yaml"));
        assertThat(s.serviceEntry("default", "ifconfig.co", 80).orElseThrow().name()).isEqualTo("ifconfig-co-http");
        assertThat(s.serviceEntry("default", "ifconfig.co", 443).orElseThrow().name()).isEqualTo("ifconfig-co-https");
        assertThat(s.serviceEntry("default", "ifconfig.co", 8080)).isEmpty();
        assertThat(s.serviceEntries()).hasSize(2);
    }

    @Test
    void exactHostBeatsWildcardAndExportToHidesEntries() {
        MeshSnapshot s = compile("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: any, namespace: default}
                spec:
                  hosts: ["*.example.com"]
                  ports: [{number: 80, name: http, protocol: HTTP}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: exact, namespace: default}
                spec:
                  hosts: [a.example.com]
                  exportTo: ["."]
                  ports: [{number: 80, name: http, protocol: HTTP}]
                """);
        assertThat(s.serviceEntry("default", "a.example.com", 80).orElseThrow().name()).isEqualTo("exact");
        assertThat(s.serviceEntry("other", "a.example.com", 80).orElseThrow().name()).isEqualTo("any");
        assertThat(s.serviceEntry("default", "b.example.com", 0).orElseThrow().name()).isEqualTo("any");
    }

    @Test
    void reportsIstiosServiceEntryValidationErrors() {
        List<Finding> found = findings("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: bad, namespace: default}
                spec:
                  hosts: ["*.example.com"]
                  addresses: [not-an-ip]
                  resolution: DNS
                  location: OUTSIDE
                  ports:
                  - {number: 80, name: http, protocol: HTTPX}
                  - {number: 80, name: http2}
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: bad-static, namespace: default}
                spec:
                  hosts: [db.internal]
                  resolution: STATIC
                  ports: [{number: 5432, name: pg}]
                  endpoints:
                  - address: db.example.com
                    ports: {postgres: 5433}
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: none-with-endpoints, namespace: default}
                spec:
                  hosts: [x.internal]
                  ports: [{number: 80, name: http}]
                  endpoints: [{address: 10.0.0.1}]
                """);
        assertThat(found).extracting(Finding::field).containsExactly("spec.addresses", "spec.ports[0].protocol",
                "spec.ports[1].number", "spec.location", "spec.hosts", "spec.endpoints[0].address",
                "spec.endpoints[0].ports.postgres", "spec.endpoints");
        assertThat(found.get(4).toString()).isEqualTo("se.yaml:5 ServiceEntry default/bad: spec.hosts: host *.example.com"
                + " is a wildcard, which resolution DNS cannot look up (expected: endpoints, or resolution NONE)");
        assertThat(found.get(6).message()).isEqualTo("port name \"postgres\" is not a port of this ServiceEntry "
                + "(expected one of [pg])");
    }

    @Test
    void warnsWhenAStaticEntryHasNoEndpoints() {
        List<Finding> found = findings("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: empty, namespace: default}
                spec:
                  hosts: [db.internal]
                  resolution: STATIC
                  ports: [{number: 5432, name: pg}]
                """);
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("MP0212");
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
        });
    }
}
