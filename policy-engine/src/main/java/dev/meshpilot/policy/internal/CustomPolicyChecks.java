package dev.meshpilot.policy.internal;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Istio's validation of a CUSTOM AuthorizationPolicy: it needs rules (an empty rule {@code {}} for every request) and a
 * provider, and its rules cannot use the peer or token identity, which the external authorizer decides on.
 */
final class CustomPolicyChecks {
    private static final List<String> SOURCE_FIELDS = List.of("namespaces", "notNamespaces", "serviceAccounts",
            "notServiceAccounts", "principals", "notPrincipals", "requestPrincipals", "notRequestPrincipals");

    private CustomPolicyChecks() {}

    static void check(Fields f, @Nullable MappingNode spec, List<Node> rules, @Nullable String provider) {
        if (spec == null || Nodes.get(spec, "rules") == null) {
            f.error("MP0102", spec, "spec.rules", "a CUSTOM policy without rules is never triggered; add an empty "
                    + "rule `{}` to send every request to the provider");
        } else if (provider == null || provider.isBlank()) {
            f.error("MP0102", spec, "spec.provider.name", "required field is missing: a CUSTOM policy names the "
                    + "extension provider that decides");
        }
        for (int i = 0; i < rules.size(); i++) {
            String path = "spec.rules[" + i + "]";
            List<Node> from = items(Nodes.get(rules.get(i), "from"));
            for (int j = 0; j < from.size(); j++) {
                Node source = Nodes.get(from.get(j), "source");
                for (String field : SOURCE_FIELDS) {
                    if (Nodes.get(source, field) != null) {
                        f.error("MP0103", Nodes.get(source, field), path + ".from[" + j + "].source." + field,
                                field + " is not supported with action CUSTOM (the provider decides on identities)");
                    }
                }
            }
            List<Node> when = items(Nodes.get(rules.get(i), "when"));
            for (int j = 0; j < when.size(); j++) {
                String key = Nodes.text(Nodes.get(when.get(j), "key"));
                if (key != null && (key.equals("source.namespace") || key.equals("source.principal")
                        || key.equals("source.serviceAccount") || key.equals("source.trustDomain")
                        || key.startsWith("request.auth."))) {
                    f.error("MP0103", Nodes.get(when.get(j), "key"), path + ".when[" + j + "].key",
                            "key " + key + " is not supported with action CUSTOM (the provider decides on identities)");
                }
            }
        }
    }

    /** The items of a list node, none for anything else (type errors are reported by the policy parser). */
    private static List<Node> items(@Nullable Node node) {
        return node instanceof org.snakeyaml.engine.v2.nodes.SequenceNode s ? s.getValue() : List.of();
    }
}
