package dev.meshpilot.proxy.jwt;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.security.JwtRule;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of {@link JwtAuthenticator#authenticate}.
 *
 * @param status  NO_TOKEN (no token in any location: allowed, AuthorizationPolicy decides), VALID or INVALID
 * @param issuer  {@code iss} of a VALID token
 * @param subject {@code sub} of a VALID token (may be null when the token has none)
 * @param claims  the claims of a VALID token, empty otherwise
 * @param reason  why an INVALID token was rejected (the 401 body)
 * @param rule    the rule that verified a VALID token
 * @param payload the base64url payload segment of a VALID token (for {@code outputPayloadToHeader})
 */
public record JwtResult(Status status, @Nullable String issuer, @Nullable String subject, Map<String, Object> claims,
        @Nullable String reason, @Nullable JwtRule rule, @Nullable String payload) {

    public enum Status { NO_TOKEN, VALID, INVALID }

    public JwtResult {
        requireNonNull(status, "status");
        claims = Map.copyOf(claims);
    }

    public static JwtResult noToken() {
        return new JwtResult(Status.NO_TOKEN, null, null, Map.of(), null, null, null);
    }

    public static JwtResult valid(String issuer, @Nullable String subject, Map<String, Object> claims, JwtRule rule,
            String payload) {
        return new JwtResult(Status.VALID, requireNonNull(issuer, "issuer"), subject, claims, null,
                requireNonNull(rule, "rule"), requireNonNull(payload, "payload"));
    }

    public static JwtResult invalid(String reason) {
        return new JwtResult(Status.INVALID, null, null, Map.of(), requireNonNull(reason, "reason"), null, null);
    }

    /** Istio's {@code requestPrincipal} {@code iss/sub} of a VALID token, null otherwise. */
    public @Nullable String requestPrincipal() {
        return status == Status.VALID ? issuer + "/" + (subject == null ? "" : subject) : null;
    }

    /** Whether the request may go on: no token or a valid one. An INVALID token is answered 401. */
    public boolean allowed() {
        return status != Status.INVALID;
    }
}
