package dev.meshpilot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.route.ExternalDestination.Target;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.WeightedDestination;
import dev.meshpilot.policy.security.AuthzRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Shapes found in Istio's own samples (written here anew): TLS origination for an external API with a port-rewriting
 * VirtualService, an external authorizer reached through a local ServiceEntry, and the non-resource YAML files that sit
 * beside configuration in real repositories.
 */
class IstioSampleShapesTest {
    static final ProxyRef CLIENT = ProxyRef.sidecar("default", "client", Map.of("app", "client"), "client");

    static CompileResult compile(String... yaml) {
        List<SourceFile> files = new java.util.ArrayList<>();
        for (int i = 0; i < yaml.length; i++) {
            files.add(new SourceFile("f" + i + ".yaml", yaml[i]));
        }
        return MeshCompiler.compile("v", files);
    }

    @Test
    void plainHttpToAnExternalApiIsSentToItsTlsPortWithOrigination() {
        MeshSnapshot s = compile("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: maps-api}
                spec:
                  hosts: [maps.example.org]
                  ports:
                  - {number: 80, name: http, protocol: HTTP}
                  - {number: 443, name: https, protocol: HTTPS}
                  resolution: DNS
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: maps-to-443}
                spec:
                  hosts: [maps.example.org]
                  http:
                  - match: [{port: 80}]
                    route: [{destination: {host: maps.example.org, port: {number: 443}}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: maps-tls}
                spec:
                  host: maps.example.org
                  trafficPolicy:
                    portLevelSettings:
                    - port: {number: 443}
                      tls: {mode: SIMPLE}
                """).snapshot();
        assertThat(s.route(CLIENT, RequestAttributes.of("GET", "maps.example.org", "/v1/tiles", 80)).destinations())
                .containsExactly(new WeightedDestination("maps.example.org", null, 443, 100));
        assertThat(s.trafficPolicy("default", "maps.example.org", null, 443).tlsMode()).isEqualTo("SIMPLE");
        assertThat(s.trafficPolicy("default", "maps.example.org", null, 80).tlsMode()).isNull();
        assertThat(s.resolveExternal("default", "maps.example.org", null, 443).orElseThrow().targets())
                .containsExactly(new Target("maps.example.org", 443, 0, Map.of(), null));
    }

    @Test
    void anExternalAuthorizerBehindALocalServiceEntryIsUsable() {
        CompileResult r = compile("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: authz-local, namespace: foo}
                spec:
                  hosts: [authz-http.local]
                  endpoints: [{address: 127.0.0.1}]
                  ports: [{name: http, number: 8000, protocol: HTTP}]
                  resolution: STATIC
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio, namespace: istio-system}
                data:
                  mesh: |
                    extensionProviders:
                    - name: local-authz
                      envoyExtAuthzHttp: {service: authz-http.local, port: "8000", headersToUpstreamOnAllow: [x-authz-user]}
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: ext, namespace: foo}
                spec:
                  selector: {matchLabels: {app: httpbin}}
                  action: CUSTOM
                  provider: {name: local-authz}
                  rules: [{to: [{operation: {paths: ["/headers"]}}]}]
                """);
        assertThat(r.findings()).isEmpty();
        AuthzRequest headers = new AuthzRequest(null, null, null, "httpbin", "GET", "/headers", 8080, Map.of(), Map.of());
        assertThat(r.snapshot().customAuthorization("foo", Map.of("app", "httpbin"), headers).orElseThrow().provider()
                .headersToUpstreamOnAllow()).containsExactly("x-authz-user");
    }

    @Test
    void helmValuesAndNamelessInstallResourcesAreIgnoredWithAWarning() {
        CompileResult r = compile("global:\n  spire:\n    trustDomain: example.org\n", """
                apiVersion: install.istio.io/v1alpha1
                kind: IstioOperator
                metadata: {namespace: istio-system}
                spec: {profile: default}
                """);
        assertThat(r.errors()).isEmpty();
        assertThat(r.findings()).extracting(Finding::code).containsExactly("MP0005", "MP0003");
        assertThat(r.findings().get(0).toString()).isEqualTo("f0.yaml:1 not a Kubernetes resource (no apiVersion and "
                + "kind, such as a Helm values file): ignored");
    }
}
