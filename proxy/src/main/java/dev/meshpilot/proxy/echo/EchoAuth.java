package dev.meshpilot.proxy.echo;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/**
 * The tutorial's auth service inside http-echo: {@code POST /login} with {@code {"login": "..."}} answers
 * {@code JWT token: <jwt>} (RS256, kid {@code mykey}, valid 72 h); {@code GET /.well-known/jwks.json} the public keys.
 */
final class EchoAuth {

    static final String ISSUER = "http-echo@http-echo.kubernetes.newtech.academy";
    static final Duration VALIDITY = Duration.ofHours(72);

    private final EchoKeys keys;
    private final Clock clock;

    EchoAuth(EchoKeys keys, Clock clock) {
        this.keys = requireNonNull(keys, "keys");
        this.clock = requireNonNull(clock, "clock");
    }

    /** The login name of a {@code /login} body, or an exception saying what is wrong with it. */
    static String loginOf(String body) {
        Map<String, Object> json;
        try {
            json = JSONObjectUtils.parse(body);
        } catch (ParseException e) {
            throw new IllegalArgumentException("body: not a JSON object (expected: {\"login\": \"...\"})", e);
        }
        Object login = json.get("login");
        if (!(login instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("login: " + login + " (expected: a non-empty string)");
        }
        return s;
    }

    /** A signed token for {@code login}. */
    String issue(String login) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject(ISSUER).claim("login", login)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(VALIDITY))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(EchoKeys.KEY_ID)
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(keys.rsaKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return jwt.serialize();
    }

    String jwks() {
        return keys.publicJwksJson();
    }
}
