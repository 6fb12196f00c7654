package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Net.DestinationRuleDef;
import dev.meshpilot.policy.workload.WorkloadSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code MP0215}: a DestinationRule with a trafficPolicy that some proxies of the configuration reach only through the
 * Istio 1.0–1.4 compatibility fallback ({@link DestinationRuleScopes#fallback}): as in Istio 1.5+, its policy (TLS
 * mode, load balancer, ...) does not apply to them; the fallback only lends its subsets to routes. Client namespaces
 * are those of the Deployments, and {@code istio-system} when a Gateway exists.
 */
final class CompatibilityRuleChecks {
    private CompatibilityRuleChecks() {}

    static void check(MeshModel model, DestinationRuleScopes scopes, Findings findings) {
        Set<String> clients = new TreeSet<>();
        model.workloads().stream().map(WorkloadSpec::namespace).forEach(clients::add);
        if (!model.gateways().isEmpty()) {
            clients.add(LegacyConverter.ROOT_NAMESPACE);
        }
        for (DestinationRuleDef dr : DestinationRuleMerge.merge(model.destinationRules()).rules()) {
            if (!DestinationRuleMerge.hasPolicy(dr) || dr.host().startsWith("*")) {
                continue;
            }
            List<String> through = new ArrayList<>();
            for (String ns : clients) {
                DestinationRuleDef used = scopes.fallback(ns, dr.host());
                if (used != null && used.src().key().equals(dr.src().key()) && used.host().equals(dr.host())) {
                    through.add(ns);
                }
            }
            if (through.isEmpty()) {
                continue;
            }
            String serviceNs = scopes.serviceNamespace(dr.host());
            String target = (serviceNs == null ? "" : serviceNs + " or ") + LegacyConverter.ROOT_NAMESPACE;
            findings.warn("MP0215", dr.src(), Nodes.line(Nodes.get(Nodes.get(dr.src().node(), "spec"), "host")),
                    "spec.host", "its trafficPolicy does not apply to " + dr.host() + " for clients in namespace"
                            + (through.size() > 1 ? "s " : " ") + String.join(", ", through) + ": Istio 1.5+ uses a rule "
                            + "of the client's namespace, the service's or " + LegacyConverter.ROOT_NAMESPACE
                            + " (Istio 1.0–1.4 applied rules mesh-wide; Meshpilot still lends its subsets to routes): "
                            + "move it to namespace " + target + " for it to apply");
        }
    }
}
