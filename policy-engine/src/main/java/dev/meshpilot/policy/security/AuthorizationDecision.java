package dev.meshpilot.policy.security;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * Whether a request is allowed, and which policy decided.
 *
 * @param policy {@code namespace/name} of the deciding AuthorizationPolicy (a converted legacy RBAC
 *               resource keeps its own name), null when no policy decided
 * @param action {@code ALLOW}, {@code DENY} or {@code CUSTOM} of the deciding policy, null when none decided
 * @param reason a sentence for the operator ("denied by default/deny-all: no ALLOW policy matched")
 */
public record AuthorizationDecision(boolean allowed, @Nullable String policy, @Nullable String action, String reason) {
    public AuthorizationDecision {
        requireNonNull(reason, "reason");
    }

    public static AuthorizationDecision allowedWithoutPolicy() {
        return new AuthorizationDecision(true, null, null, "no authorization policy applies to the workload");
    }
}
