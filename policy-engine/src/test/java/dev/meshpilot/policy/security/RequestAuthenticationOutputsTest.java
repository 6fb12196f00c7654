package dev.meshpilot.policy.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.Finding;
import dev.meshpilot.policy.MeshCompiler;
import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.Seed;
import dev.meshpilot.policy.SourceFile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RequestAuthentication's inline jwks, forwardOriginalToken and outputs, and the findings for bad values. */
class RequestAuthenticationOutputsTest {
    static final Map<String, String> HELLO = Map.of("app", "hello");
    static final String JWKS = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"mykey\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}";

    static MeshSnapshot compile(String jwtRules) {
        return Seed.compile(List.of(new SourceFile("ra.yaml", ra(jwtRules))));
    }

    static String ra(String jwtRules) {
        return """
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata: {name: jwt, namespace: default}
                spec:
                  selector: {matchLabels: {app: hello}}
                  jwtRules:
                """ + jwtRules;
    }

    static List<Finding> errors(String jwtRules) {
        return MeshCompiler.compile("v", List.of(new SourceFile("ra.yaml", ra(jwtRules)))).errors();
    }

    @Test
    void readsInlineJwksForwardingAndOutputHeaders() {
        JwtRule rule = compile("""
                  - issuer: a@example.com
                    jwks: '%s'
                    forwardOriginalToken: true
                    outputPayloadToHeader: x-jwt-payload
                    outputClaimToHeaders:
                    - header: X-Jwt-Sub
                      claim: sub
                    - header: x-jwt-group
                      claim: group
                """.formatted(JWKS)).jwtRules("default", HELLO).get(0);
        assertThat(rule.jwks()).isEqualTo(JWKS);
        assertThat(rule.jwksUri()).isNull();
        assertThat(rule.forwardOriginalToken()).isTrue();
        assertThat(rule.outputPayloadToHeader()).isEqualTo("x-jwt-payload");
        assertThat(rule.outputClaimToHeaders()).containsExactly(new JwtRule.ClaimToHeader("x-jwt-sub", "sub"),
                new JwtRule.ClaimToHeader("x-jwt-group", "group"));
        assertThat(rule.policy()).isEqualTo("default/jwt");
    }

    @Test
    void defaultsDropTheTokenAndWriteNoHeaders() {
        JwtRule rule = compile("  - issuer: a@example.com\n    jwksUri: https://a.example.com/jwks.json\n")
                .jwtRules("default", HELLO).get(0);
        assertThat(rule).isEqualTo(new JwtRule("default/jwt", "a@example.com", "https://a.example.com/jwks.json", List.of()));
        assertThat(rule.forwardOriginalToken()).isFalse();
        assertThat(rule.jwks()).isNull();
        assertThat(rule.outputPayloadToHeader()).isNull();
        assertThat(rule.outputClaimToHeaders()).isEmpty();
    }

    @Test
    void rejectsAJwksThatIsNotAKeySet() {
        assertThat(errors("  - issuer: a@example.com\n    jwks: 'not json'\n")).singleElement()
                .satisfies(f -> assertThat(f.toString()).isEqualTo("ra.yaml:8 RequestAuthentication default/jwt: "
                        + "spec.jwtRules[0].jwks: jwks is not a JSON Web Key Set (expected: a JSON object with a \"keys\" "
                        + "list, as served at a jwksUri); every token of this issuer would fail"));
        assertThat(errors("  - issuer: a@example.com\n    jwks: '{\"kty\": \"RSA\"}'\n")).hasSize(1);
    }

    @Test
    void rejectsBadHeaderNamesEmptyClaimsAndNonBooleanForwarding() {
        List<Finding> found = errors("""
                  - issuer: a@example.com
                    jwksUri: ftp://keys.example.com/jwks
                    forwardOriginalToken: "yes"
                    outputPayloadToHeader: "bad header"
                    outputClaimToHeaders:
                    - header: "x:sub"
                      claim: sub
                    - header: x-ok
                """);
        assertThat(found).extracting(Finding::field).containsExactly("spec.jwtRules[0].jwksUri",
                "spec.jwtRules[0].forwardOriginalToken", "spec.jwtRules[0].outputPayloadToHeader",
                "spec.jwtRules[0].outputClaimToHeaders[0].header", "spec.jwtRules[0].outputClaimToHeaders[1].claim");
        assertThat(found.get(0).message()).isEqualTo("jwksUri: ftp://keys.example.com/jwks (expected: an http:// or "
                + "https:// URL with a host)");
        assertThat(found.get(2).message()).isEqualTo("outputPayloadToHeader: \"bad header\" (expected: a header name "
                + "such as x-jwt-payload)");
    }

    @Test
    void requestAuthenticationAloneNeverRequiresAToken() {
        MeshSnapshot s = compile("  - issuer: a@example.com\n");
        assertThat(s.jwtRules("default", HELLO)).hasSize(1);
        assertThat(s.jwtRequirement("default", HELLO, "/")).isEmpty();
        assertThat(s.jwtRequired("default", HELLO, "/")).isFalse();
    }
}
