package dev.meshpilot.policy.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.Seed;
import dev.meshpilot.policy.SourceFile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where a JWT is read from: fromHeaders / fromParams, Istio's defaults, and the legacy jwtHeaders / jwtParams. */
class JwtTokenLocationTest {
    static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: hello, namespace: default}
            spec: {selector: {app: hello}, ports: [{port: 8080}]}
            ---
            """;

    static MeshSnapshot compile(String yaml) {
        return Seed.compile(List.of(new SourceFile("t.yaml", SERVICE + yaml)));
    }

    @Test
    void withoutLocationsTheTokenComesFromTheBearerHeaderOrAccessTokenParameter() {
        MeshSnapshot s = compile("""
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata: {name: jwt, namespace: default}
                spec:
                  jwtRules: [{issuer: a@example.com}]
                """);
        JwtRule rule = s.jwtRules("default", Map.of("app", "hello")).get(0);
        assertThat(rule.fromHeaders()).isEmpty();
        assertThat(rule.tokenHeaders()).containsExactly(new JwtRule.TokenHeader("Authorization", "Bearer "));
        assertThat(rule.tokenParams()).containsExactly("access_token");
    }

    @Test
    void fromParamsAloneReadsOnlyThoseParameters() {
        MeshSnapshot s = compile("""
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata: {name: jwt, namespace: default}
                spec:
                  jwtRules:
                  - issuer: a@example.com
                    fromParams: [my_token]
                """);
        JwtRule rule = s.jwtRules("default", Map.of("app", "hello")).get(0);
        assertThat(rule.tokenHeaders()).isEmpty();
        assertThat(rule.tokenParams()).containsExactly("my_token");
    }

    @Test
    void legacyJwtHeadersAndParamsAreConverted() {
        MeshSnapshot s = compile("""
                apiVersion: authentication.istio.io/v1alpha1
                kind: Policy
                metadata: {name: jwt, namespace: default}
                spec:
                  targets: [{name: hello}]
                  origins:
                  - jwt:
                      issuer: a@example.com
                      jwksUri: https://example.com/jwks.json
                      jwtHeaders: [X-Goog-Iap-Jwt-Assertion]
                      jwtParams: [token]
                  principalBinding: USE_ORIGIN
                """);
        JwtRule rule = s.jwtRules("default", Map.of("app", "hello")).get(0);
        assertThat(rule.tokenHeaders()).containsExactly(new JwtRule.TokenHeader("x-goog-iap-jwt-assertion", null));
        assertThat(rule.tokenParams()).containsExactly("token");
    }
}
