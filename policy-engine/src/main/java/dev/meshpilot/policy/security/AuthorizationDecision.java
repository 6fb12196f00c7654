package dev.meshpilot.policy.security;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * Whether a request is allowed, and which policy and rule decided.
 *
 * @param policy {@code namespace/name} of the deciding AuthorizationPolicy (a converted legacy RBAC
 *               resource keeps its own name), null when no policy decided
 * @param action {@code ALLOW}, {@code DENY} or {@code CUSTOM} of the deciding policy, null when none decided
 * @param reason a sentence for the operator ("denied by default/deny-all: no ALLOW policy matched")
 * @param rule the index of the matching rule in the deciding policy's {@code rules}; null when no rule matched
 *             (no ALLOW policy matched, a policy without rules such as {@code spec: {}} denies all, no policy applies)
 * @param legacySource the removed resource the deciding policy was converted from, like
 *                     {@code ServiceRoleBinding default/world-user-binding} or {@code RbacConfig default}; null
 *                     for today's kinds or when no policy decided
 */
public record AuthorizationDecision(boolean allowed, @Nullable String policy, @Nullable String action, String reason,
        @Nullable Integer rule, @Nullable String legacySource) {
    public AuthorizationDecision {
        requireNonNull(reason, "reason");
        if (rule != null && rule < 0) {
            throw new IllegalArgumentException("rule: " + rule + " (expected: >= 0 or null)");
        }
    }

    /** A decision without a rule index or legacy source (the shape before rules were named). */
    public AuthorizationDecision(boolean allowed, @Nullable String policy, @Nullable String action, String reason) {
        this(allowed, policy, action, reason, null, null);
    }

    public static AuthorizationDecision allowedWithoutPolicy() {
        return new AuthorizationDecision(true, null, null, "no authorization policy applies to the workload");
    }

    /** The same decision with another reason (rule and legacy source kept). */
    public AuthorizationDecision withReason(String reason) {
        return new AuthorizationDecision(allowed, policy, action, reason, rule, legacySource);
    }
}
