package dev.meshpilot.policy.security;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One RequestAuthentication jwtRule (or a legacy Policy origin): tokens of this issuer are validated
 * with the keys at {@code jwksUri}; an invalid token is rejected (401), a missing one is not.
 *
 * @param policy    {@code namespace/name} of the RequestAuthentication
 * @param audiences accepted audiences, empty for any
 */
public record JwtRule(String policy, String issuer, @Nullable String jwksUri, List<String> audiences) {
    public JwtRule {
        requireNonNull(policy, "policy");
        requireNonNull(issuer, "issuer");
        audiences = List.copyOf(audiences);
    }
}
