package dev.meshpilot.proxy.authz;

import dev.meshpilot.policy.security.AuthorizationDecision;
import dev.meshpilot.policy.security.JwtRule;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Istio 1.0–1.5's {@code Policy} with {@code origins} made a token REQUIRED: a request without one was answered 401
 * (origin authentication failed), not 403. The policy-engine converts such a Policy {@code ns/name} into the
 * RequestAuthentication {@code ns/name} and the DENY AuthorizationPolicy {@code ns/name-require-jwt}
 * ({@code notRequestPrincipals: ["*"]}); this recognizes that pair so the sidecar answers as Istio 1.x did.
 * (The engine has no field for it yet: a {@code JwtRule.required()} flag would replace this name convention.)
 */
final class LegacyOriginRequirement {

    static final String SUFFIX = "-require-jwt";

    private LegacyOriginRequirement() {}

    /** The legacy Policy whose origin requirement denied the request, or null when the denial is another one. */
    static @Nullable String requiredBy(AuthorizationDecision decision, List<JwtRule> rules) {
        String policy = decision.policy();
        if (decision.allowed() || policy == null || !"DENY".equals(decision.action()) || !policy.endsWith(SUFFIX)) {
            return null;
        }
        String origin = policy.substring(0, policy.length() - SUFFIX.length());
        return rules.stream().anyMatch(r -> r.policy().equals(origin)) ? origin : null;
    }
}
