package dev.meshpilot.policy.security;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A request must carry a valid token: the origin authentication of Istio 1.0–1.5's removed
 * {@code authentication.istio.io/v1alpha1} Policy (or MeshPolicy) with {@code origins}. Istio rejected a request
 * without one with 401, before any authorization. Today's RequestAuthentication alone never requires a token, so
 * a configuration written in v1 never yields a requirement.
 *
 * @param policy     {@code namespace/name} of the legacy Policy ({@code name} alone for a MeshPolicy)
 * @param issuers    issuers of the origins that apply to the request's path: a valid token of one of them
 *                   satisfies the requirement (the keys are in {@code MeshSnapshot#jwtRules})
 * @param useOrigin  true for {@code principalBinding: USE_ORIGIN}: the token's {@code iss/sub} is the request's
 *                   principal ({@code request.auth.principal}); false for USE_PEER (the mTLS peer's identity)
 */
public record JwtRequirement(String policy, List<String> issuers, boolean useOrigin) {
    public JwtRequirement {
        requireNonNull(policy, "policy");
        issuers = List.copyOf(issuers);
        if (issuers.isEmpty()) {
            throw new IllegalArgumentException("issuers: [] (expected: at least one issuer)");
        }
    }
}
