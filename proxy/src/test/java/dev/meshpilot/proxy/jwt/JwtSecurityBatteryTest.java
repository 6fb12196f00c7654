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
import dev.meshpilot.policy.security.JwtRule;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JWT half of the security battery: every forged or out-of-policy token is INVALID, never a pass. */
class JwtSecurityBatteryTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
    private final HttpClient client = HttpClient.newHttpClient();
    private RSAKey key;
    private JwksServer jwks;
    private JwtAuthenticator authenticator;
    private JwtRule rule;

    @BeforeEach
    void setUp() throws Exception {
        key = Tokens.rsa("k1");
        jwks = new JwksServer(Tokens.jwks(key.toPublicJWK()));
        authenticator = new JwtAuthenticator(JwksFetcher.http(client), JwtSettings.DEFAULTS.withClock(clock)
                .withFetchTimeout(Duration.ofMillis(500)));
        rule = new JwtRule("default/jwt", Tokens.ISSUER, jwks.uri().toString(), List.of("shop"));
    }

    @AfterEach
    void tearDown() {
        jwks.close();
        client.close();
    }

    private JwtResult check(JwtRule r, String token) {
        return authenticator.authenticate(List.of(r), Map.of("authorization", List.of("Bearer " + token)), null);
    }

    private JwtResult check(String token) {
        return check(rule, token);
    }

    private String valid(JWTClaimsSet claims) throws Exception {
        return Tokens.signRsa(key, JWSAlgorithm.RS256, claims);
    }

    private static void assertInvalid(JwtResult result, String reason) {
        assertThat(result.status()).isEqualTo(JwtResult.Status.INVALID);
        assertThat(result.allowed()).isFalse();
        assertThat(result.requestPrincipal()).isNull();
        assertThat(result.reason()).startsWith(reason);
    }

    @Test
    void controlTokenIsValid() throws Exception {
        assertThat(check(valid(Tokens.claims(clock.instant()).build())).status()).isEqualTo(JwtResult.Status.VALID);
    }

    @Test
    void algNoneIsRejected() {
        String token = new PlainJWT(new PlainHeader(), Tokens.claims(clock.instant()).build()).serialize();
        assertInvalid(check(token), "Jwt algorithm none is not allowed");
    }

    @Test
    void hs256SignedWithTheRsaPublicKeyBytesAsHmacSecretIsRejected() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(),
                Tokens.claims(clock.instant()).build());
        jwt.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
        assertInvalid(check(jwt.serialize()), "Jwt algorithm HS256 is not allowed");
        SignedJWT withJwk = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(),
                Tokens.claims(clock.instant()).build());
        withJwk.sign(new MACSigner(Tokens.jwks(key.toPublicJWK()).getBytes()));
        assertInvalid(check(withJwk.serialize()), "Jwt algorithm HS256 is not allowed");
    }

    @Test
    void expiredTokenIsRejected() throws Exception {
        Instant past = clock.instant().minus(Duration.ofHours(2));
        assertInvalid(check(valid(Tokens.claims(past).expirationTime(Date.from(past.plusSeconds(3600))).build())),
                "Jwt is expired");
    }

    @Test
    void notYetValidTokenIsRejected() throws Exception {
        Date nbf = Date.from(clock.instant().plusSeconds(120));
        assertInvalid(check(valid(Tokens.claims(clock.instant()).notBeforeTime(nbf).build())), "Jwt not yet valid");
    }

    @Test
    void wrongIssuerIsRejected() throws Exception {
        assertInvalid(check(valid(Tokens.claims(clock.instant()).issuer("https://evil.example").build())),
                "Jwt issuer is not configured");
    }

    @Test
    void wrongAudienceIsRejected() throws Exception {
        assertInvalid(check(valid(Tokens.claims(clock.instant()).audience("billing").build())),
                "Audiences in Jwt are not allowed");
        assertInvalid(check(valid(Tokens.claims(clock.instant()).audience((String) null).build())),
                "Audiences in Jwt are not allowed");
    }

    @Test
    void tamperedPayloadIsRejected() throws Exception {
        String[] parts = valid(Tokens.claims(clock.instant()).build()).split("\\.");
        String forged = Base64URL.encode(Tokens.claims(clock.instant()).subject("admin").build().toString())
                .toString();
        assertInvalid(check(parts[0] + "." + forged + "." + parts[2]), "Jwt verification fails");
    }

    @Test
    void unknownKidIsRefreshedOnceRateLimitedAndStillRejected() throws Exception {
        assertThat(check(valid(Tokens.claims(clock.instant()).build())).status()).isEqualTo(JwtResult.Status.VALID);
        clock.advance(Duration.ofMinutes(1));
        String stranger = Tokens.signRsa(Tokens.rsa("k9"), JWSAlgorithm.RS256, Tokens.claims(clock.instant()).build());
        assertInvalid(check(stranger), "Jwks doesn't have key to match kid or alg from Jwt");
        assertThat(jwks.fetches()).isEqualTo(2);
        for (int i = 0; i < 5; i++) {
            assertInvalid(check(stranger), "Jwks doesn't have key to match kid or alg from Jwt");
        }
        assertThat(jwks.fetches()).isEqualTo(2);
    }

    @Test
    void rotatedKeyIsPickedUpByTheRefreshOnUnknownKid() throws Exception {
        assertThat(check(valid(Tokens.claims(clock.instant()).build())).status()).isEqualTo(JwtResult.Status.VALID);
        RSAKey next = Tokens.rsa("k2");
        jwks.serve(Tokens.jwks(key.toPublicJWK(), next.toPublicJWK()));
        clock.advance(Duration.ofMinutes(1));
        String token = Tokens.signRsa(next, JWSAlgorithm.RS256, Tokens.claims(clock.instant()).build());
        assertThat(check(token).status()).isEqualTo(JwtResult.Status.VALID);
        assertThat(jwks.fetches()).isEqualTo(2);
    }

    @Test
    void jwksEndpointDownFailsClosed() throws Exception {
        String token = valid(Tokens.claims(clock.instant()).build());
        jwks.close();
        assertInvalid(check(token), "jwks unavailable");
    }

    @Test
    void jwksEndpointThatNeverAnswersFailsClosedWithinTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            JwtRule slow = new JwtRule("default/jwt", Tokens.ISSUER,
                    "http://127.0.0.1:" + silent.getLocalPort() + "/jwks", List.of("shop"));
            long start = System.nanoTime();
            assertInvalid(check(slow, valid(Tokens.claims(clock.instant()).build())), "jwks unavailable");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void oversizedTokenIsRejectedBeforeParsing() throws Exception {
        String big = valid(Tokens.claims(clock.instant()).claim("pad", "x".repeat(17 * 1024)).build());
        assertInvalid(check(big), "Jwt is too large");
        assertThat(jwks.fetches()).isZero();
    }

    @Test
    void garbageIsRejected() {
        assertInvalid(check("not-a-jwt"), "Jwt is not in the form");
    }
}
