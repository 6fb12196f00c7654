package dev.meshpilot.proxy.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.proxy.sidecar.SidecarSecurity;
import dev.meshpilot.proxy.testing.InboundUnderTest;
import dev.meshpilot.proxy.testing.RawHttp;
import dev.meshpilot.proxy.testing.RecordingWorkload;
import dev.meshpilot.proxy.testing.Tutorial;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the workload gets of a verified token: RequestAuthentication's forwarding and output fields. */
class SidecarTokenForwardingTest {

    private RSAKey key;
    private JwksServer jwks;

    @BeforeEach
    void keys() throws Exception {
        key = Tokens.rsa("k1");
        jwks = new JwksServer(Tokens.jwks(key.toPublicJWK()));
    }

    @AfterEach
    void stop() {
        jwks.close();
    }

    /** A sidecar for app shop with one jwtRule made of {@code fields} (YAML lines under the rule). */
    private InboundUnderTest shop(String fields) {
        return new InboundUnderTest(SidecarJwtEnforcementTest.SHOP, Tutorial.compile("t1", List.of(new SourceFile(
                "ra.yaml", """
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata:
                  name: jwt
                  namespace: default
                spec:
                  selector:
                    matchLabels:
                      app: shop
                  jwtRules:
                  - issuer: "%s"
                %s
                """.formatted(Tokens.ISSUER, fields.indent(4).stripTrailing())))), SidecarSecurity.DEFAULTS);
    }

    private String token() throws Exception {
        return Tokens.signRsa(key, JWSAlgorithm.RS256, Tokens.claims(Instant.now()).build());
    }

    private String uri() {
        return "jwksUri: \"" + jwks.uri() + "\"";
    }

    @Test
    void tokenInTheQueryIsRemovedByDefault() throws Exception {
        try (InboundUnderTest shop = shop(uri())) {
            RawHttp.Response response = shop.get("shop", "/x?access_token=" + token() + "&page=2");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("workload saw /x?page=2");
        }
    }

    @Test
    void forwardOriginalTokenKeepsTheAuthorizationHeader() throws Exception {
        try (InboundUnderTest shop = shop(uri() + "\nforwardOriginalToken: true")) {
            String token = token();
            assertThat(shop.get("shop", "/x", "Authorization: Bearer " + token).status()).isEqualTo(200);
            assertThat(shop.workload().last().header("authorization")).isEqualTo("Bearer " + token);
        }
    }

    @Test
    void payloadAndClaimsGoToTheNamedHeaders() throws Exception {
        try (InboundUnderTest shop = shop(uri() + """

                outputPayloadToHeader: x-jwt-payload
                outputClaimToHeaders:
                - header: x-user
                  claim: sub""")) {
            String token = token();
            assertThat(shop.get("shop", "/x", "Authorization: Bearer " + token).status()).isEqualTo(200);
            RecordingWorkload.Seen seen = shop.workload().last();
            assertThat(seen.header("x-jwt-payload")).isEqualTo(token.split("\\.")[1]);
            assertThat(seen.header("x-user")).isEqualTo("alice");
            assertThat(seen.header("authorization")).isNull();
        }
    }

    @Test
    void clientCannotSupplyTheOutputHeadersItself() {
        try (InboundUnderTest shop = shop(uri() + """

                outputPayloadToHeader: x-jwt-payload
                outputClaimToHeaders:
                - header: x-user
                  claim: sub""")) {
            assertThat(shop.get("shop", "/x", "x-user: admin", "x-jwt-payload: eyJzdWIiOiJhZG1pbiJ9").status())
                    .isEqualTo(200);
            RecordingWorkload.Seen seen = shop.workload().last();
            assertThat(seen.header("x-user")).isNull();
            assertThat(seen.header("x-jwt-payload")).isNull();
        }
    }

    @Test
    void inlineJwksVerifiesWithoutAnyFetch() throws Exception {
        String inline = "jwks: '" + Tokens.jwks(key.toPublicJWK()).replace("\n", "").replace("'", "''") + "'";
        try (InboundUnderTest shop = shop(inline)) {
            assertThat(shop.get("shop", "/x", "Authorization: Bearer " + token()).status()).isEqualTo(200);
            String stranger = Tokens.signRsa(Tokens.rsa("k1"), JWSAlgorithm.RS256, Tokens.claims(Instant.now()).build());
            RawHttp.Response forged = shop.get("shop", "/x", "Authorization: Bearer " + stranger);
            assertThat(forged.status()).isEqualTo(401);
            assertThat(forged.body()).isEqualTo("Jwt verification fails");
        }
        assertThat(jwks.fetches()).isZero();
    }
}
