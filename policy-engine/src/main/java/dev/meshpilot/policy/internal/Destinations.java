package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Net.DestinationRuleDef;
import dev.meshpilot.policy.internal.Net.SubsetDef;
import dev.meshpilot.policy.route.ResolvedDestination;
import dev.meshpilot.policy.route.TrafficPolicy;
import dev.meshpilot.policy.workload.ServiceSpec;
import dev.meshpilot.policy.workload.ServiceSpec.ServicePort;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Route destinations resolved to Services, subsets and DestinationRule traffic policies. With a client namespace the
 * rule is Istio's lookup ({@link DestinationRuleScopes}); without one (the namespace-less API kept for older callers)
 * the mesh-wide rule for the host (exact beats the longest wildcard). Several rules of one host and namespace are merged
 * ({@link DestinationRuleMerge}).
 */
final class Destinations {
    private final List<DestinationRuleDef> rawRules;
    private final Map<String, ServiceSpec> servicesByHost;
    private final HostTable<DestinationRuleDef> rules;
    private final DestinationRuleScopes scopes;

    Destinations(MeshModel model, DestinationRuleScopes scopes) {
        this.rawRules = model.destinationRules();
        Map<String, ServiceSpec> byHost = new HashMap<>();
        model.services().forEach(s -> byHost.putIfAbsent(s.fqdn(), s));
        this.servicesByHost = Map.copyOf(byHost);
        HostTable.Builder<DestinationRuleDef> drs = HostTable.builder();
        DestinationRuleMerge.merge(model.destinationRules()).rules().forEach(dr -> drs.add(dr.host(), dr));
        this.rules = drs.build();
        this.scopes = scopes;
    }

    /** Empty when the host is no Service, is not exported to the client's namespace, or the subset is unknown. */
    Optional<ResolvedDestination> resolve(@Nullable String clientNs, String host, @Nullable String subset, int port) {
        ServiceSpec service = servicesByHost.get(host.toLowerCase(Locale.ROOT));
        if (service == null || (clientNs != null && !service.visibleTo(clientNs))) {
            return Optional.empty();
        }
        Map<String, String> selector = new LinkedHashMap<>(service.selector());
        if (subset != null && !subset.isEmpty()) {
            DestinationRuleDef rule = clientNs == null ? null : scopes.lookup(clientNs, service.fqdn());
            SubsetDef def = clientNs == null ? subset(service.fqdn(), subset) : rule == null ? null : rule.subsets().get(subset);
            if (def == null) {
                return Optional.empty();
            }
            selector.putAll(def.labels());
        }
        int target = port;
        List<ServicePort> ports = service.ports();
        if (!ports.isEmpty()) {
            target = ports.stream().filter(p -> p.port() == port).findFirst().orElse(ports.get(0)).targetPort();
        }
        return Optional.of(new ResolvedDestination(service.namespace(), service.name(), selector, target));
    }

    /** The traffic policy of the rule, port level, subset, subset port level, later ones overriding field by field. */
    /**
     * The policy a client applies: from the rule Istio's lookup finds (client ns → service ns → root ns) — never through
     * the compatibility fallback, which only lends its subsets to routes: a TLS mode or load balancer of a rule Istio
     * 1.5+ would not apply stays unapplied (MP0215 says so).
     */
    TrafficPolicy trafficPolicy(@Nullable String clientNs, String host, @Nullable String subset, int port) {
        String fqdn = host.toLowerCase(Locale.ROOT);
        DestinationRuleDef dr = clientNs == null ? rule(null, fqdn) : scopes.istio(clientNs, fqdn);
        if (dr == null) {
            return TrafficPolicy.NONE;
        }
        TrafficPolicy policy = dr.policy().at(port);
        SubsetDef s = subset == null ? null : dr.subsets().get(subset);
        return s == null ? policy : policy.overriddenBy(s.policy().at(port));
    }

    @Nullable DestinationRuleDef rule(@Nullable String clientNs, String host) {
        if (clientNs != null) {
            return scopes.lookup(clientNs, host);
        }
        HostTable.Hit<DestinationRuleDef> hit = rules.lookup(host);
        return hit == null ? null : hit.values().get(0);
    }

    @Nullable SubsetDef subset(String host, String name) {
        HostTable.Hit<DestinationRuleDef> hit = rules.lookup(host);
        if (hit != null) {
            for (DestinationRuleDef dr : hit.values()) {
                SubsetDef s = dr.subsets().get(name);
                if (s != null) {
                    return s;
                }
            }
        }
        for (DestinationRuleDef dr : rawRules) {
            if (Hosts.matches(dr.host(), host) && dr.subsets().containsKey(name)) {
                return dr.subsets().get(name);
            }
        }
        return null;
    }
}
