package dev.meshpilot.proxy.jwt;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import dev.meshpilot.policy.security.JwtRule;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies the JWT of a request against the RequestAuthentication {@code jwtRules} that apply to the workload
 * (Istio semantics): no token anywhere → {@code NO_TOKEN} (allowed; AuthorizationPolicy decides); every token found
 * must be issued by a rule reading that location, pass {@code exp}/{@code nbf} (with skew) and the rule's audiences,
 * and carry an asymmetric signature (RS*, PS*, ES*, EdDSA) by a key of the rule's JWKS whose type and {@code alg}
 * allow the token's algorithm. A JWKS that cannot be fetched fails closed (INVALID). Thread-safe; one per proxy.
 */
public final class JwtAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(JwtAuthenticator.class);

    /** Algorithms accepted: asymmetric only ({@code none} and HMAC never). */
    public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

    private final JwtSettings settings;
    private final JwksCache cache;

    public JwtAuthenticator(JwksFetcher fetcher) {
        this(fetcher, JwtSettings.DEFAULTS);
    }

    public JwtAuthenticator(JwksFetcher fetcher, JwtSettings settings) {
        this.settings = requireNonNull(settings, "settings");
        this.cache = new JwksCache(requireNonNull(fetcher, "fetcher"), settings.fetchTimeout(), settings.cacheTtl(),
                settings.minRefreshInterval(), settings.clock());
    }

    /**
     * The verdict on one request.
     *
     * @param rules    the jwtRules that apply to the workload (none: {@code NO_TOKEN} for every request)
     * @param headers  request headers, names in any case
     * @param rawQuery the query string without {@code ?}, or null
     */
    public JwtResult authenticate(List<JwtRule> rules, Map<String, List<String>> headers, @Nullable String rawQuery) {
        requireNonNull(rules, "rules");
        requireNonNull(headers, "headers");
        List<FoundToken> tokens = TokenLocations.find(rules, headers, rawQuery);
        if (tokens.isEmpty()) {
            return JwtResult.noToken();
        }
        JwtResult first = null;
        for (FoundToken token : tokens) {
            JwtResult result = verify(token.token(), token.rules());
            if (result.status() == JwtResult.Status.INVALID) {
                return result;
            }
            if (first == null) {
                first = result;
            }
        }
        return first;
    }

    /** One token and the rules that read it from where it was found. */
    record FoundToken(String token, List<JwtRule> rules) {}

    JwtResult verify(String token, List<JwtRule> candidates) {
        int size = token.getBytes(StandardCharsets.UTF_8).length;
        if (size > settings.maxTokenBytes()) {
            return JwtResult.invalid("Jwt is too large: " + size + " bytes (limit: " + settings.maxTokenBytes() + ")");
        }
        JWT parsed;
        try {
            parsed = JWTParser.parse(token);
        } catch (ParseException e) {
            return JwtResult.invalid("Jwt is not in the form of Header.Payload.Signature: " + e.getMessage());
        }
        if (!(parsed instanceof SignedJWT jwt)) {
            return JwtResult.invalid("Jwt algorithm " + parsed.getHeader().getAlgorithm() + " is not allowed");
        }
        JWSHeader header = jwt.getHeader();
        if (!ALGORITHMS.contains(header.getAlgorithm())) {
            return JwtResult.invalid("Jwt algorithm " + header.getAlgorithm() + " is not allowed");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return JwtResult.invalid("Jwt payload is not a valid JSON claims set");
        }
        String issuer = claims.getIssuer();
        JwtRule rule = candidates.stream().filter(r -> r.issuer().equals(issuer)).findFirst().orElse(null);
        if (rule == null) {
            return JwtResult.invalid("Jwt issuer is not configured");
        }
        Instant now = settings.clock().instant();
        Date exp = claims.getExpirationTime();
        if (exp != null && now.isAfter(exp.toInstant().plus(settings.clockSkew()))) {
            return JwtResult.invalid("Jwt is expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.isBefore(nbf.toInstant().minus(settings.clockSkew()))) {
            return JwtResult.invalid("Jwt not yet valid");
        }
        if (!rule.audiences().isEmpty()
                && (claims.getAudience() == null || claims.getAudience().stream().noneMatch(rule.audiences()::contains))) {
            return JwtResult.invalid("Audiences in Jwt are not allowed");
        }
        JWKMatcher matcher = JWKMatcher.forJWSHeader(header);
        if (matcher == null) {
            return JwtResult.invalid("Jwt algorithm " + header.getAlgorithm() + " is not allowed");
        }
        JWKSelector selector = new JWKSelector(matcher);
        if (rule.jwks() != null) {
            JWKSet inline = InlineJwks.parse(rule.jwks());
            return inline == null ? JwtResult.invalid("Jwks is not a valid JSON Web Key Set (" + rule.policy() + ")")
                    : verifyWith(jwt, selector.select(inline), issuer, claims, rule);
        }
        String jwksUri = rule.jwksUri();
        if (jwksUri == null) {
            return JwtResult.invalid("Jwks is not configured for issuer " + issuer + " (" + rule.policy() + ")");
        }
        URI uri;
        try {
            uri = URI.create(jwksUri);
        } catch (IllegalArgumentException e) {
            return JwtResult.invalid("Jwks uri is invalid: " + jwksUri);
        }
        List<JWK> keys;
        try {
            keys = selector.select(cache.get(uri));
            if (keys.isEmpty()) {
                keys = selector.select(cache.refresh(uri));
            }
        } catch (IOException e) {
            LOG.warn("Jwks remote fetch failed for {} ({}): {}", issuer, rule.policy(), e.getMessage());
            return JwtResult.invalid("jwks unavailable (Jwks remote fetch is failed): " + e.getMessage());
        }
        return verifyWith(jwt, keys, issuer, claims, rule);
    }

    private static JwtResult verifyWith(SignedJWT jwt, List<JWK> keys, String issuer, JWTClaimsSet claims,
            JwtRule rule) {
        if (keys.isEmpty()) {
            return JwtResult.invalid("Jwks doesn't have key to match kid or alg from Jwt");
        }
        for (JWK key : keys) {
            if (Signatures.verify(jwt, key)) {
                return JwtResult.valid(issuer, claims.getSubject(), jsonClaims(claims), rule,
                        jwt.getParsedParts()[1].toString());
            }
        }
        return JwtResult.invalid("Jwt verification fails");
    }

    private static Map<String, Object> jsonClaims(JWTClaimsSet claims) {
        Map<String, Object> out = new LinkedHashMap<>();
        claims.toJSONObject().forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    static Map<String, List<String>> caseInsensitive(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> out.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        return out;
    }
}
