package dev.meshpilot.policy.security;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One RequestAuthentication jwtRule (or a legacy Policy origin): tokens of this issuer are validated
 * with the inline {@code jwks} when set, else with the keys at {@code jwksUri}; an invalid token is rejected (401),
 * a missing one is not (see {@code MeshSnapshot#jwtRequirement} for the legacy origins that require one).
 *
 * @param policy                {@code namespace/name} of the RequestAuthentication
 * @param audiences             accepted audiences, empty for any
 * @param fromHeaders           headers the token is read from ({@code fromHeaders}); with {@code fromParams} both
 *                              empty, Istio reads {@code Authorization: Bearer …} and the {@code access_token} query
 *                              parameter
 * @param fromParams            query parameters the token is read from
 * @param jwks                  the inline JSON Web Key Set ({@code jwks}), null when the keys come from {@code jwksUri}
 * @param forwardOriginalToken  true to keep the token in the request forwarded to the workload (Istio's default
 *                              false: the header or parameter the token came from is removed)
 * @param outputPayloadToHeader header that receives the verified payload, base64url-encoded; null for none
 * @param outputClaimToHeaders  claims copied into request headers once the token is verified
 */
public record JwtRule(String policy, String issuer, @Nullable String jwksUri, List<String> audiences,
        List<TokenHeader> fromHeaders, List<String> fromParams, @Nullable String jwks, boolean forwardOriginalToken,
        @Nullable String outputPayloadToHeader, List<ClaimToHeader> outputClaimToHeaders) {

    /** The default token locations when a rule names none. */
    public static final List<TokenHeader> DEFAULT_HEADERS = List.of(new TokenHeader("authorization", "Bearer "));
    public static final List<String> DEFAULT_PARAMS = List.of("access_token");

    public JwtRule {
        requireNonNull(policy, "policy");
        requireNonNull(issuer, "issuer");
        audiences = List.copyOf(audiences);
        fromHeaders = List.copyOf(fromHeaders);
        fromParams = List.copyOf(fromParams);
        outputClaimToHeaders = List.copyOf(outputClaimToHeaders);
    }

    /** A rule with explicit token locations, keys from {@code jwksUri}, and Istio's defaults for the rest. */
    public JwtRule(String policy, String issuer, @Nullable String jwksUri, List<String> audiences,
            List<TokenHeader> fromHeaders, List<String> fromParams) {
        this(policy, issuer, jwksUri, audiences, fromHeaders, fromParams, null, false, null, List.of());
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

    /**
     * One {@code outputClaimToHeaders} entry: the value of {@code claim} (a string, number or boolean claim; the
     * header is left out when the claim is absent or of another type) is written to {@code header} of the request
     * forwarded to the workload.
     *
     * @param header header name, lower case
     * @param claim  claim name
     */
    public record ClaimToHeader(String header, String claim) {
        public ClaimToHeader {
            header = requireNonNull(header, "header").toLowerCase(Locale.ROOT);
            requireNonNull(claim, "claim");
        }
    }
}
