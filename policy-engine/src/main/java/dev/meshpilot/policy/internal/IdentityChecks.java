package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.workload.WorkloadSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Service account references: a Deployment's {@code serviceAccountName} that no ServiceAccount of its namespace
 * defines ({@code MP0211}), and principals {@code cluster.local/ns/X/sa/Y} of AuthorizationPolicies and
 * ServiceRoleBindings whose account is neither defined nor used by a Deployment ({@code MP0302}).
 */
final class IdentityChecks {
    private static final Pattern PRINCIPAL = Pattern.compile("(?:spiffe://)?cluster\\.local/ns/([^/*]+)/sa/([^/*]+)");

    private IdentityChecks() {}

    static void check(MeshModel model, Findings findings) {
        Set<String> accounts = new HashSet<>();
        Set<String> accountNamespaces = new HashSet<>();
        for (Resource r : model.resources()) {
            if (r.kind().equals("ServiceAccount") && r.group().isEmpty()) {
                accounts.add(r.namespace() + "/" + r.name());
                accountNamespaces.add(r.namespace());
            }
        }
        Set<String> used = new HashSet<>();
        model.workloads().forEach(w -> used.add(w.namespace() + "/" + w.serviceAccount()));
        for (WorkloadSpec w : model.workloads()) {
            if (w.serviceAccount().equals("default") || !accountNamespaces.contains(w.namespace())
                    || accounts.contains(w.namespace() + "/" + w.serviceAccount())) {
                continue;
            }
            Resource r = deployment(model, w);
            if (r != null) {
                Set<String> defined = new TreeSet<>();
                accounts.stream().filter(a -> a.startsWith(w.namespace() + "/"))
                        .forEach(a -> defined.add(a.substring(a.indexOf('/') + 1)));
                String field = "spec.template.spec.serviceAccountName";
                findings.warn("MP0211", r, Nodes.line(ConflictChecks.at(r.node(), field)), field, "service account \""
                        + w.serviceAccount() + "\" is not defined in namespace " + w.namespace() + " (defined: "
                        + String.join(", ", defined) + "): define it or fix the name, or Kubernetes creates no pods");
            }
        }
        for (Resource r : model.resources()) {
            if (r.kind().equals("AuthorizationPolicy") && r.group().equals("security.istio.io")) {
                List<Node> rules = items(ConflictChecks.at(r.node(), "spec.rules"));
                for (int i = 0; i < rules.size(); i++) {
                    List<Node> from = items(Nodes.get(rules.get(i), "from"));
                    for (int j = 0; j < from.size(); j++) {
                        String path = "spec.rules[" + i + "].from[" + j + "].source.principals";
                        List<Node> principals = items(Nodes.get(Nodes.get(from.get(j), "source"), "principals"));
                        for (int k = 0; k < principals.size(); k++) {
                            principal(r, principals.get(k), path + "[" + k + "]", accounts, used, findings);
                        }
                    }
                }
            } else if (r.kind().equals("ServiceRoleBinding") && r.group().equals("rbac.istio.io")) {
                List<Node> subjects = items(ConflictChecks.at(r.node(), "spec.subjects"));
                for (int i = 0; i < subjects.size(); i++) {
                    principal(r, Nodes.get(subjects.get(i), "user"), "spec.subjects[" + i + "].user", accounts, used,
                            findings);
                }
            }
        }
    }

    private static void principal(Resource r, @Nullable Node node, String field, Set<String> accounts,
            Set<String> used, Findings findings) {
        String text = Nodes.text(node);
        Matcher m = text == null ? null : PRINCIPAL.matcher(text);
        if (m == null || !m.matches()) {
            return;
        }
        String account = m.group(1) + "/" + m.group(2);
        if (m.group(2).equals("default") || accounts.contains(account) || used.contains(account)) {
            return;
        }
        findings.warn("MP0302", r, Nodes.line(node), field, "principal " + text + ": service account " + account
                + " is not defined and no Deployment uses it, so this rule matches no workload of the configuration;"
                + " fix the name or define the ServiceAccount");
    }

    static @Nullable Resource deployment(MeshModel model, WorkloadSpec w) {
        return model.resources().stream().filter(r -> r.kind().equals("Deployment")
                && r.namespace().equals(w.namespace()) && r.name().equals(w.name())).findFirst().orElse(null);
    }

    private static List<Node> items(@Nullable Node node) {
        return node instanceof SequenceNode s ? s.getValue() : List.of();
    }
}
