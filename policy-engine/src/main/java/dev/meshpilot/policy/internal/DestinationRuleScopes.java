package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Net.DestinationRuleDef;
import dev.meshpilot.policy.workload.ServiceSpec;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Istio's DestinationRule lookup for a client namespace: a rule in the client's namespace (always visible there),
 * else one exported to the client from the service's namespace, else one exported to it from the root namespace.
 * Within a namespace the exact host beats the longest wildcard; several rules for one host are merged as Istio does
 * ({@link DestinationRuleMerge}).
 */
final class DestinationRuleScopes {
    private final Map<String, HostTable<DestinationRuleDef>> rulesByNamespace;
    private final Map<String, String> hostNamespaces;

    DestinationRuleScopes(MeshModel model) {
        Map<String, HostTable.Builder<DestinationRuleDef>> byNs = new HashMap<>();
        DestinationRuleMerge.merge(model.destinationRules()).rules().forEach(dr -> byNs.computeIfAbsent(dr.src().namespace(), n -> HostTable.builder())
                .add(dr.host(), dr));
        Map<String, HostTable<DestinationRuleDef>> built = new HashMap<>();
        byNs.forEach((ns, b) -> built.put(ns, b.build()));
        this.rulesByNamespace = Map.copyOf(built);
        Map<String, String> hostNs = new HashMap<>();
        model.serviceEntries().forEach(se -> se.hosts().forEach(h -> hostNs.putIfAbsent(h, se.src().namespace())));
        for (ServiceSpec s : model.services()) {
            hostNs.put(s.fqdn(), s.namespace());
        }
        this.hostNamespaces = Map.copyOf(hostNs);
    }

    @Nullable DestinationRuleDef lookup(String clientNamespace, String host) {
        String fqdn = host.toLowerCase(Locale.ROOT);
        DestinationRuleDef dr = ruleIn(clientNamespace, fqdn, clientNamespace);
        String serviceNs = hostNamespaces.getOrDefault(fqdn, namespaceOf(fqdn));
        if (dr == null && serviceNs != null) {
            dr = ruleIn(serviceNs, fqdn, clientNamespace);
        }
        if (dr == null) {
            dr = ruleIn(LegacyConverter.ROOT_NAMESPACE, fqdn, clientNamespace);
        }
        return dr;
    }

    /** The namespace a {@code name.namespace.svc.cluster.local} host names, null for other hosts. */
    static @Nullable String namespaceOf(String fqdn) {
        if (!fqdn.endsWith(Hosts.CLUSTER_SUFFIX)) {
            return null;
        }
        String[] parts = fqdn.substring(0, fqdn.length() - Hosts.CLUSTER_SUFFIX.length()).split("\\.");
        return parts.length == 2 ? parts[1] : null;
    }

    private @Nullable DestinationRuleDef ruleIn(String namespace, String fqdn, String clientNamespace) {
        HostTable<DestinationRuleDef> table = rulesByNamespace.get(namespace);
        HostTable.Hit<DestinationRuleDef> hit = table == null ? null : table.lookup(fqdn);
        if (hit != null) {
            for (DestinationRuleDef dr : hit.values()) {
                if (ExportTo.visibleRule(dr.exportTo(), namespace, clientNamespace)) {
                    return dr;
                }
            }
        }
        return null;
    }
}
