package dev.meshpilot.proxy.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.meshpilot.policy.security.JwtRule;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JwtAuthenticatorTest {

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
        authenticator = new JwtAuthenticator(JwksFetcher.http(client), JwtSettings.DEFAULTS.withClock(clock));
        rule = new JwtRule("default/jwt", Tokens.ISSUER, jwks.uri().toString(), List.of());
    }

    @AfterEach
    void tearDown() {
        jwks.close();
        client.close();
    }

    private JwtResult bearer(JwtRule r, String token) {
        return authenticator.authenticate(List.of(r), Map.of("Authorization", List.of("Bearer " + token)), null);
    }

    @Test
    void validBearerTokenGivesRequestPrincipalIssuerSlashSubjectAndClaims() throws Exception {
        JwtResult result = bearer(rule, Tokens.signRsa(key, JWSAlgorithm.RS256,
                Tokens.claims(clock.instant()).claim("group", "admins").build()));
        assertThat(result.status()).isEqualTo(JwtResult.Status.VALID);
        assertThat(result.requestPrincipal()).isEqualTo(Tokens.ISSUER + "/alice");
        assertThat(result.claims()).containsEntry("group", "admins").containsEntry("sub", "alice");
        assertThat(result.allowed()).isTrue();
    }

    @Test
    void requestWithoutTokenIsNoTokenAndAllowedWhateverTheRules() {
        JwtResult result = authenticator.authenticate(List.of(rule), Map.of("Accept", List.of("*/*")), "a=b");
        assertThat(result.status()).isEqualTo(JwtResult.Status.NO_TOKEN);
        assertThat(result.allowed()).isTrue();
        assertThat(result.requestPrincipal()).isNull();
        assertThat(jwks.fetches()).isZero();
    }

    @Test
    void defaultLocationsAlsoReadTheAccessTokenQueryParameter() throws Exception {
        String token = Tokens.signRsa(key, JWSAlgorithm.RS256, Tokens.claims(clock.instant()).build());
        JwtResult result = authenticator.authenticate(List.of(rule), Map.of(), "x=1&access_token=" + token);
        assertThat(result.status()).isEqualTo(JwtResult.Status.VALID);
    }

    @Test
    void fromHeadersWithPrefixAndFromParamsReplaceTheDefaults() throws Exception {
        JwtRule custom = new JwtRule("default/jwt", Tokens.ISSUER, jwks.uri().toString(), List.of(),
                List.of(new JwtRule.TokenHeader("X-Jwt-Assertion", "Token ")), List.of("my_token"));
        String token = Tokens.signRsa(key, JWSAlgorithm.RS256, Tokens.claims(clock.instant()).build());
        assertThat(authenticator.authenticate(List.of(custom), Map.of("x-jwt-assertion", List.of("Token " + token)),
                null).status()).isEqualTo(JwtResult.Status.VALID);
        assertThat(authenticator.authenticate(List.of(custom), Map.of(), "my_token=" + token).status())
                .isEqualTo(JwtResult.Status.VALID);
        assertThat(bearer(custom, token).status()).isEqualTo(JwtResult.Status.NO_TOKEN);
    }

    @Test
    void matchingAudienceIsAccepted() throws Exception {
        JwtRule withAud = new JwtRule("default/jwt", Tokens.ISSUER, jwks.uri().toString(), List.of("other", "shop"));
        assertThat(bearer(withAud, Tokens.signRsa(key, JWSAlgorithm.RS256, Tokens.claims(clock.instant()).build()))
                .status()).isEqualTo(JwtResult.Status.VALID);
    }

    @Test
    void expiryWithinTheSixtySecondSkewIsStillValid() throws Exception {
        String token = Tokens.signRsa(key, JWSAlgorithm.RS256, Tokens.claims(clock.instant()).build());
        clock.advance(java.time.Duration.ofSeconds(3600 + 59));
        assertThat(bearer(rule, token).status()).isEqualTo(JwtResult.Status.VALID);
        clock.advance(java.time.Duration.ofSeconds(2));
        assertThat(bearer(rule, token).reason()).isEqualTo("Jwt is expired");
    }

    @Test
    void es256TokenVerifiesWithAnEcKey() throws Exception {
        ECKey ec = Tokens.ec("e1");
        jwks.serve(Tokens.jwks(ec.toPublicJWK()));
        assertThat(bearer(rule, Tokens.signEc(ec, Tokens.claims(clock.instant()).build())).status())
                .isEqualTo(JwtResult.Status.VALID);
    }

    @Test
    void eddsaTokenVerifiesWithAnEd25519Key() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = pair.getPublic().getEncoded();
        OctetKeyPair okp = new OctetKeyPair.Builder(Curve.Ed25519,
                Base64URL.encode(Arrays.copyOfRange(spki, spki.length - 32, spki.length)))
                .keyID("ed1").keyUse(KeyUse.SIGNATURE).build();
        jwks.serve(Tokens.jwks(okp));
        String signingInput = Base64URL.encode("{\"alg\":\"EdDSA\",\"kid\":\"ed1\"}") + "."
                + Base64URL.encode(Tokens.claims(clock.instant()).build().toString());
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(pair.getPrivate());
        signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        String token = signingInput + "." + Base64URL.encode(signer.sign());
        assertThat(bearer(rule, token).status()).isEqualTo(JwtResult.Status.VALID);
        signer.update((signingInput + "x").getBytes(StandardCharsets.US_ASCII));
        String forged = signingInput + "." + Base64URL.encode(signer.sign());
        assertThat(bearer(rule, forged).status()).isEqualTo(JwtResult.Status.INVALID);
    }

    @Test
    void keyDeclaringRs256DoesNotVerifyAnRs384Token() throws Exception {
        JwtResult result = bearer(rule, Tokens.signRsa(key, JWSAlgorithm.RS384, Tokens.claims(clock.instant()).build()));
        assertThat(result.status()).isEqualTo(JwtResult.Status.INVALID);
        assertThat(result.reason()).isEqualTo("Jwks doesn't have key to match kid or alg from Jwt");
    }

    @Test
    void jwksIsFetchedOnceAndCachedAcrossRequests() throws Exception {
        String token = Tokens.signRsa(key, JWSAlgorithm.RS256, Tokens.claims(clock.instant()).build());
        for (int i = 0; i < 5; i++) {
            assertThat(bearer(rule, token).status()).isEqualTo(JwtResult.Status.VALID);
        }
        assertThat(jwks.fetches()).isEqualTo(1);
    }
}
