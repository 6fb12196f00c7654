package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Net.DestinationRuleDef;
import dev.meshpilot.policy.internal.Net.ServiceEntryDef;
import dev.meshpilot.policy.internal.Net.SubsetDef;
import dev.meshpilot.policy.route.ExternalDestination;
import dev.meshpilot.policy.route.ExternalDestination.Target;
import dev.meshpilot.policy.route.ExternalService;
import dev.meshpilot.policy.route.ExternalService.Endpoint;
import dev.meshpilot.policy.route.ExternalService.Port;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * ServiceEntry lookup for a client: among the entries exported to the client's namespace that declare the port, an
 * exact host beats the longest wildcard, an entry in the client's own namespace beats others, then file order.
 */
final class ServiceEntries {
    private final List<ServiceEntryDef> entries;

    ServiceEntries(List<ServiceEntryDef> entries) {
        this.entries = List.copyOf(entries);
    }

    List<ExternalService> all() {
        return entries.stream().map(ServiceEntryDef::details).toList();
    }

    Optional<ExternalService> find(String clientNamespace, String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        ExternalService best = null;
        int bestRank = -1;
        for (ServiceEntryDef se : entries) {
            ExternalService s = se.details();
            if (!ExportTo.visible(s.exportTo(), s.namespace(), clientNamespace) || s.port(port).isEmpty()) {
                continue;
            }
            for (String pattern : s.hosts()) {
                if (!Hosts.matches(pattern, h)) {
                    continue;
                }
                int rank = (pattern.equals(h) ? 1_000_000 : pattern.length() * 2) + (s.namespace().equals(clientNamespace) ? 1 : 0);
                if (rank > bestRank) {
                    best = s;
                    bestRank = rank;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** The connection targets of a ServiceEntry destination (see {@link ExternalDestination}). */
    Optional<ExternalDestination> resolve(String clientNamespace, String host, @Nullable String subset, int port,
            DestinationRuleScopes rules) {
        ExternalService s = find(clientNamespace, host, port).orElse(null);
        if (s == null) {
            return Optional.empty();
        }
        Port p = s.port(port).orElseThrow();
        Map<String, String> labels = Map.of();
        if (subset != null && !subset.isEmpty()) {
            DestinationRuleDef dr = rules.lookup(clientNamespace, host);
            SubsetDef def = dr == null ? null : dr.subsets().get(subset);
            if (def == null) {
                return Optional.empty();
            }
            labels = def.labels();
        }
        List<Target> targets = new ArrayList<>();
        if (s.workloadSelector() == null) {
            for (Endpoint e : s.endpoints()) {
                if (Authorizer.selects(labels, e.labels())) {
                    targets.add(new Target(e.address(), ExternalService.endpointPort(e, p), e.weight(), e.labels(), e.network()));
                }
            }
            boolean dns = s.resolution() == ExternalService.Resolution.DNS
                    || s.resolution() == ExternalService.Resolution.DNS_ROUND_ROBIN
                    || s.resolution() == ExternalService.Resolution.DYNAMIC_DNS;
            if (s.endpoints().isEmpty() && labels.isEmpty() && dns) {
                targets.add(new Target(host.toLowerCase(Locale.ROOT), p.targetPort() != null ? p.targetPort() : p.number(),
                        0, Map.of(), null));
            }
            if (s.endpoints().isEmpty() && labels.isEmpty() && s.resolution() == ExternalService.Resolution.NONE) {
                targets.add(new Target(host.toLowerCase(Locale.ROOT), p.number(), 0, Map.of(), null));
            }
        }
        return Optional.of(new ExternalDestination(s, p, subset == null || subset.isEmpty() ? null : subset, targets));
    }
}
