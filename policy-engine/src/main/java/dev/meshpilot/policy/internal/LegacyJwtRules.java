package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.LegacyAuthn.MatchKind;
import dev.meshpilot.policy.internal.LegacyAuthn.Origin;
import dev.meshpilot.policy.internal.LegacyAuthn.PathMatch;
import dev.meshpilot.policy.internal.LegacyAuthn.PolicyDef;
import dev.meshpilot.policy.internal.LegacyAuthn.Trigger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Istio's migration of a legacy Policy's required origins: a DENY AuthorizationPolicy for requests without a request
 * principal, one rule per origin trigger (its includedPaths as {@code paths}, its excludedPaths as {@code notPaths}).
 * Today's APIs answer such a request with 403 where Istio 1.x answered 401; meshpilot's own decision for the legacy
 * resource stays 401 ({@code MeshSnapshot#jwtRequirement}).
 */
final class LegacyJwtRules {
    private static final Map<String, Object> WITHOUT_TOKEN = Map.of("source", Map.of("notRequestPrincipals", List.of("*")));

    private LegacyJwtRules() {}

    /** The DENY rules, or empty when a trigger path is a regex (AuthorizationPolicy paths cannot express it). */
    static Optional<List<Object>> denyWithoutToken(PolicyDef def, Fields f) {
        List<Object> rules = new ArrayList<>();
        for (Origin origin : def.origins()) {
            if (origin.triggers().isEmpty()) {
                return Optional.of(List.of(Map.of("from", List.of(WITHOUT_TOKEN))));
            }
            for (Trigger t : origin.triggers()) {
                if (hasRegex(t)) {
                    f.warn("MP0406", Nodes.get(f.resource().node(), "spec"), "spec.origins", "a triggerRules path "
                            + "is a regex, which an AuthorizationPolicy path cannot express: the converted YAML does not "
                            + "require a token (meshpilot enforces the original Policy as Istio 1.x did)");
                    return Optional.empty();
                }
                Map<String, Object> operation = new LinkedHashMap<>();
                if (!t.included().isEmpty()) {
                    operation.put("paths", t.included().stream().map(LegacyJwtRules::path).toList());
                }
                if (!t.excluded().isEmpty()) {
                    operation.put("notPaths", t.excluded().stream().map(LegacyJwtRules::path).toList());
                }
                Map<String, Object> rule = new LinkedHashMap<>();
                rule.put("from", List.of(WITHOUT_TOKEN));
                if (!operation.isEmpty()) {
                    rule.put("to", List.of(Map.of("operation", operation)));
                }
                rules.add(rule);
            }
        }
        return Optional.of(List.copyOf(rules));
    }

    private static boolean hasRegex(Trigger t) {
        return t.included().stream().anyMatch(m -> m.kind() == MatchKind.REGEX)
                || t.excluded().stream().anyMatch(m -> m.kind() == MatchKind.REGEX);
    }

    private static String path(PathMatch m) {
        return switch (m.kind()) {
            case EXACT -> m.value();
            case PREFIX -> m.value() + "*";
            case SUFFIX -> "*" + m.value();
            case REGEX -> throw new IllegalStateException("regex paths are not converted");
        };
    }
}
