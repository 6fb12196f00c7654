package dev.meshpilot.policy.internal;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The parsed security.istio.io resources (and the legacy ones after conversion). */
public final class Sec {
    private Sec() {}

    /** Values and notValues of one field: a request passes when it matches a value (if any) and no notValue. */
    public record Values(List<String> in, List<String> notIn) {
        public static final Values ANY = new Values(List.of(), List.of());

        public boolean isAny() {
            return in.isEmpty() && notIn.isEmpty();
        }

        /** Istio's string match: exact, {@code prefix*}, {@code *suffix}, or {@code *} for any present value. */
        public boolean test(@Nullable String value) {
            if (isAny()) {
                return true;
            }
            if (value == null) {
                // No value (no mTLS, no token): only a notValues-only field can hold ("notRequestPrincipals: ['*']").
                return in.isEmpty();
            }
            if (!in.isEmpty() && in.stream().noneMatch(p -> matches(p, value))) {
                return false;
            }
            return notIn.stream().noneMatch(p -> matches(p, value));
        }

        public boolean testAny(List<String> values) {
            if (isAny()) {
                return true;
            }
            return values.stream().anyMatch(this::test);
        }

        public static boolean matches(String pattern, String value) {
            if (pattern.equals("*")) {
                return !value.isEmpty();
            }
            if (pattern.endsWith("*")) {
                return value.startsWith(pattern.substring(0, pattern.length() - 1));
            }
            if (pattern.startsWith("*")) {
                return value.endsWith(pattern.substring(1));
            }
            return pattern.equals(value);
        }
    }

    public record Source(Values principals, Values requestPrincipals, Values namespaces, Values ipBlocks,
            Values remoteIpBlocks) {}

    public record Operation(Values hosts, Values ports, Values methods, Values paths) {}

    public record Condition(String key, List<String> values, List<String> notValues) {}

    public record Rule(List<Source> from, List<Operation> to, List<Condition> when) {}

    /**
     * @param selector null when the policy has no selector (applies to its whole namespace, or the mesh in the root namespace)
     * @param action   ALLOW, DENY, AUDIT or CUSTOM
     * @param provider the extension provider a CUSTOM policy names ({@code spec.provider.name}), else null
     * @param dryRun   annotation {@code istio.io/dry-run: "true"}: evaluated in shadow mode, never decides
     */
    public record AuthorizationPolicyDef(Resource src, @Nullable Map<String, String> selector, String action,
            List<Rule> rules, @Nullable String provider, boolean dryRun) {}

    /** @param mode STRICT, PERMISSIVE, DISABLE or UNSET (inherit) */
    public record PeerAuthenticationDef(Resource src, @Nullable Map<String, String> selector, String mode,
            Map<Integer, String> portModes) {}

    /** @param rules the jwtRules, each named by this resource's {@code namespace/name} */
    public record RequestAuthenticationDef(Resource src, @Nullable Map<String, String> selector,
            List<dev.meshpilot.policy.security.JwtRule> rules) {}
}
