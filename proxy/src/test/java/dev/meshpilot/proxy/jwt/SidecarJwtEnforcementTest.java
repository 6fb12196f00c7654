package dev.meshpilot.proxy.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.proxy.sidecar.SidecarSecurity;
import dev.meshpilot.proxy.testing.InboundUnderTest;
import dev.meshpilot.proxy.testing.RawHttp;
import dev.meshpilot.proxy.testing.Tutorial;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End-user authentication at a real sidecar, as the client sees it: a valid token passes (without the token reaching
 * the workload) and gives the request principal and claims to authorization; every forged or out-of-policy token is
 * answered 401 {@code Jwt verification fails} with the reason in the access log, never passed on.
 */
class SidecarJwtEnforcementTest {

    static final ProxyRef SHOP = ProxyRef.sidecar("default", "shop", Map.of("app", "shop"), "shop");

    private final MutableClock clock = new MutableClock(Instant.now());
    private RSAKey key;
    private JwksServer jwks;
    private InboundUnderTest shop;

    static MeshSnapshot policies(String jwksUri) {
        return Tutorial.compile("j1", List.of(new SourceFile("jwt.yaml", """
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
                    jwksUri: "%s"
                    audiences: ["shop"]
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: shop
                  namespace: default
                spec:
                  selector:
                    matchLabels:
                      app: shop
                  action: ALLOW
                  rules:
                  - to:
                    - operation:
                        paths: ["/public/*"]
                  - from:
                    - source:
                        requestPrincipals: ["%s/alice"]
                    to:
                    - operation:
                        paths: ["/members/*"]
                  - to:
                    - operation:
                        paths: ["/gold/*"]
                    when:
                    - key: request.auth.claims[tier]
                      values: ["gold"]
                """.formatted(Tokens.ISSUER, jwksUri, Tokens.ISSUER))));
    }

    @BeforeEach
    void start() throws Exception {
        key = Tokens.rsa("k1");
        jwks = new JwksServer(Tokens.jwks(key.toPublicJWK()));
        shop = new InboundUnderTest(SHOP, policies(jwks.uri().toString()), new SidecarSecurity(null, () -> null,
                JwtSettings.DEFAULTS.withClock(clock).withFetchTimeout(Duration.ofMillis(500))));
    }

    @AfterEach
    void stop() {
        shop.close();
        jwks.close();
    }

    private JWTClaimsSet.Builder claims() {
        return Tokens.claims(clock.instant());
    }

    private String valid(JWTClaimsSet claims) throws Exception {
        return Tokens.signRsa(key, JWSAlgorithm.RS256, claims);
    }

    private RawHttp.Response get(String path, String token) {
        return shop.get("shop", path, "Authorization: Bearer " + token);
    }

    private void assertRejected(String token, String reason) {
        int before = shop.workload().count();
        RawHttp.Response response = get("/public/x", token);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("Jwt verification fails");
        assertThat(response.headers().get("www-authenticate")).isEqualTo("Bearer realm=\"http://shop/public/x\"");
        assertThat(shop.workload().count()).as("requests that reached the workload").isEqualTo(before);
        assertThat(shop.lastLine()).contains("\"response_code\":401").contains("\"authz_reason\":\"" + reason);
    }

    @Test
    void validTokenPassesAndIsRemovedBeforeTheWorkload() throws Exception {
        RawHttp.Response response = get("/public/x", valid(claims().build()));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("workload saw /public/x");
        assertThat(shop.workload().last().header("authorization")).isNull();
    }

    @Test
    void requestPrincipalOfTheTokenIsWhatAuthorizationSees() throws Exception {
        assertThat(get("/members/a", valid(claims().build())).status()).isEqualTo(200);
        assertThat(get("/members/a", valid(claims().subject("bob").build())).body()).isEqualTo("RBAC: access denied");
        RawHttp.Response anonymous = shop.get("shop", "/members/a");
        assertThat(anonymous.status()).isEqualTo(403);
        assertThat(shop.lastLine()).contains("\"authz_policy\":\"default/shop\"");
    }

    @Test
    void claimsOfTheTokenDecideWhenConditions() throws Exception {
        assertThat(get("/gold/a", valid(claims().claim("tier", "gold").build())).status()).isEqualTo(200);
        assertThat(get("/gold/a", valid(claims().claim("tier", "silver").build())).status()).isEqualTo(403);
    }

    @Test
    void missingTokenIsNoPrincipalAndAuthorizationDecides() {
        assertThat(shop.get("shop", "/public/x").status()).isEqualTo(200);
        assertThat(shop.get("shop", "/members/x").status()).isEqualTo(403);
    }

    @Test
    void algNoneIsRejected() {
        assertRejected(new PlainJWT(new PlainHeader(), claims().build()).serialize(), "Jwt algorithm none is not allowed");
    }

    @Test
    void hs256SignedWithThePublicKeyIsRejected() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims().build());
        jwt.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
        assertRejected(jwt.serialize(), "Jwt algorithm HS256 is not allowed");
    }

    @Test
    void expiredTokenIsRejected() throws Exception {
        Instant past = clock.instant().minus(Duration.ofHours(2));
        assertRejected(valid(Tokens.claims(past).expirationTime(Date.from(past.plusSeconds(3600))).build()),
                "Jwt is expired");
    }

    @Test
    void notYetValidTokenIsRejected() throws Exception {
        assertRejected(valid(claims().notBeforeTime(Date.from(clock.instant().plusSeconds(300))).build()),
                "Jwt not yet valid");
    }

    @Test
    void wrongIssuerIsRejected() throws Exception {
        assertRejected(valid(claims().issuer("https://evil.example").build()), "Jwt issuer is not configured");
    }

    @Test
    void wrongAudienceIsRejected() throws Exception {
        assertRejected(valid(claims().audience("billing").build()), "Audiences in Jwt are not allowed");
    }

    @Test
    void tamperedPayloadIsRejected() throws Exception {
        String[] parts = valid(claims().build()).split("\\.");
        String forged = Base64URL.encode(claims().subject("admin").build().toString()).toString();
        assertRejected(parts[0] + "." + forged + "." + parts[2], "Jwt verification fails");
    }

    @Test
    void unknownKidRefreshesTheJwksThenIsRejected() throws Exception {
        assertThat(get("/public/x", valid(claims().build())).status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(1));
        String stranger = Tokens.signRsa(Tokens.rsa("k9"), JWSAlgorithm.RS256, claims().build());
        assertRejected(stranger, "Jwks doesn't have key to match kid or alg from Jwt");
        assertThat(jwks.fetches()).as("JWKS fetches: first use + one refresh").isEqualTo(2);
    }

    @Test
    void jwksEndpointDownFailsClosed() throws Exception {
        String token = valid(claims().build());
        jwks.close();
        assertRejected(token, "jwks unavailable");
    }

    @Test
    void oversizedTokenIsRejected() throws Exception {
        assertRejected(valid(claims().claim("pad", "x".repeat(17 * 1024)).build()), "Jwt is too large");
        assertThat(jwks.fetches()).isZero();
    }

    @Test
    void oversizedHeaderIsAClientErrorNotAServerError() {
        // Undertow's limit of the header block (MAX_HEADER_SIZE, 1 MiB) answers 400 before any handler runs
        RawHttp.Response response = shop.get("shop", "/public/x", "X-Big: " + "a".repeat(2 * 1024 * 1024));
        assertThat(response.status()).isEqualTo(400);
        assertThat(shop.workload().count()).isZero();
    }
}
