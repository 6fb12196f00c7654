package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Net.DestinationRuleDef;
import dev.meshpilot.policy.workload.ServiceSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Istio's DestinationRule lookup for a client namespace: a rule in the client's namespace (always visible there),
 * else one exported to the client from the service's namespace, else one exported to it from the root namespace.
 * Within a namespace the exact host beats the longest wildcard; several rules for one host are merged as Istio does
 * ({@link DestinationRuleMerge}).
 *
 * <p>When that lookup finds nothing, a compatibility fallback ({@link #fallback}) takes a rule exported to the client
 * from any other namespace, as Istio 1.0–1.4 applied DestinationRules mesh-wide (the tutorial's helloworld-tls.yaml
 * relies on it): exact host before the longest wildcard, then the oldest rule (file order). The analyzers warn
 * (MP0214) where a routed subset depends on it, (MP0215) where its trafficPolicy does, and {@code simulate} says
 * when it decides, since Istio 1.5+ would not apply such a rule.
 */
final class DestinationRuleScopes {
    private final Map<String, HostTable<DestinationRuleDef>> rulesByNamespace;
    private final Map<String, String> hostNamespaces;
    private final List<DestinationRuleDef> merged;
    private final HostTable<DestinationRuleDef> anyHost;

    DestinationRuleScopes(MeshModel model) {
        Map<String, HostTable.Builder<DestinationRuleDef>> byNs = new HashMap<>();
        this.merged = DestinationRuleMerge.merge(model.destinationRules()).rules();
        merged.forEach(dr -> byNs.computeIfAbsent(dr.src().namespace(), n -> HostTable.builder()).add(dr.host(), dr));
        HostTable.Builder<DestinationRuleDef> any = HostTable.builder();
        merged.forEach(dr -> any.add(dr.host(), dr));
        this.anyHost = any.build();
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

    /** The rule a client uses: Istio's lookup ({@link #istio}), else the compatibility {@link #fallback}. */
    @Nullable DestinationRuleDef lookup(String clientNamespace, String host) {
        DestinationRuleDef dr = istio(clientNamespace, host);
        return dr != null ? dr : anyExported(clientNamespace, host.toLowerCase(Locale.ROOT));
    }

    /**
     * The rule only the compatibility fallback finds: null when Istio's lookup finds one. Among the rules of every
     * namespace exported to the client whose host matches: exact host first, then the longest wildcard, then file order.
     */
    @Nullable DestinationRuleDef fallback(String clientNamespace, String host) {
        String fqdn = host.toLowerCase(Locale.ROOT);
        return istio(clientNamespace, fqdn) != null ? null : anyExported(clientNamespace, fqdn);
    }

    private @Nullable DestinationRuleDef anyExported(String clientNamespace, String fqdn) {
        if (anyHost.lookup(fqdn) == null) {
            return null;
        }
        DestinationRuleDef best = null;
        for (DestinationRuleDef dr : merged) {
            if (!Hosts.matches(dr.host(), fqdn)
                    || !ExportTo.visibleRule(dr.exportTo(), dr.src().namespace(), clientNamespace)) {
                continue;
            }
            if (best == null || specificity(dr.host()) > specificity(best.host())) {
                best = dr;
            }
        }
        return best;
    }

    /** The namespace whose rules Istio consults after the client's: the Service's or ServiceEntry's, else the host's. */
    @Nullable String serviceNamespace(String host) {
        String fqdn = host.toLowerCase(Locale.ROOT);
        return hostNamespaces.getOrDefault(fqdn, namespaceOf(fqdn));
    }

    /** Istio's (1.5+) lookup alone: client namespace → service namespace → root namespace. */
    @Nullable DestinationRuleDef istio(String clientNamespace, String host) {
        String fqdn = host.toLowerCase(Locale.ROOT);
        DestinationRuleDef dr = ruleIn(clientNamespace, fqdn, clientNamespace);
        String serviceNs = serviceNamespace(fqdn);
        if (dr == null && serviceNs != null) {
            dr = ruleIn(serviceNs, fqdn, clientNamespace);
        }
        if (dr == null) {
            dr = ruleIn(LegacyConverter.ROOT_NAMESPACE, fqdn, clientNamespace);
        }
        return dr;
    }

    private static int specificity(String pattern) {
        return pattern.startsWith("*") ? pattern.length() - 1 : Integer.MAX_VALUE;
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
