package dev.meshpilot.policy.security;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One RequestAuthentication jwtRule (or a legacy Policy origin): tokens of this issuer are validated
 * with the keys at {@code jwksUri}; an invalid token is rejected (401), a missing one is not.
 *
 * @param policy      {@code namespace/name} of the RequestAuthentication
 * @param audiences   accepted audiences, empty for any
 * @param fromHeaders headers the token is read from ({@code fromHeaders}); with {@code fromParams} both empty, Istio
 *                    reads {@code Authorization: Bearer …} and the {@code access_token} query parameter
 * @param fromParams  query parameters the token is read from
 */
public record JwtRule(String policy, String issuer, @Nullable String jwksUri, List<String> audiences,
        List<TokenHeader> fromHeaders, List<String> fromParams) {

    /** The default token locations when a rule names none. */
    public static final List<TokenHeader> DEFAULT_HEADERS = List.of(new TokenHeader("authorization", "Bearer "));
    public static final List<String> DEFAULT_PARAMS = List.of("access_token");

    public JwtRule {
        requireNonNull(policy, "policy");
        requireNonNull(issuer, "issuer");
        audiences = List.copyOf(audiences);
        fromHeaders = List.copyOf(fromHeaders);
        fromParams = List.copyOf(fromParams);
    }

    /** A rule reading tokens from the default locations. */
    public JwtRule(String policy, String issuer, @Nullable String jwksUri, List<String> audiences) {
        this(policy, issuer, jwksUri, audiences, List.of(), List.of());
    }

    /** The headers to read a token from: {@code fromHeaders}, else the default when no location is named. */
    public List<TokenHeader> tokenHeaders() {
        return fromHeaders.isEmpty() && fromParams.isEmpty() ? DEFAULT_HEADERS : fromHeaders;
    }

    /** The query parameters to read a token from: {@code fromParams}, else the default when no location is named. */
    public List<String> tokenParams() {
        return fromHeaders.isEmpty() && fromParams.isEmpty() ? DEFAULT_PARAMS : fromParams;
    }

    /**
     * A header carrying the token.
     *
     * @param name   header name, lower case
     * @param prefix the text before the token (such as {@code "Bearer "}), null when the value is the token
     */
    public record TokenHeader(String name, @Nullable String prefix) {
        public TokenHeader {
            name = requireNonNull(name, "name").toLowerCase(Locale.ROOT);
        }
    }
}
