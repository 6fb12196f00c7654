package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Net.DestinationRuleDef;
import dev.meshpilot.policy.internal.Net.GatewayDef;
import dev.meshpilot.policy.internal.Net.HttpDest;
import dev.meshpilot.policy.internal.Net.ServiceEntryDef;
import dev.meshpilot.policy.internal.Net.VirtualServiceDef;
import dev.meshpilot.policy.workload.ServiceSpec;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Subsets a route names, checked as the proxies that use the route see them: each client namespace of the
 * VirtualService (its own namespace for {@code mesh}, the namespace of each bound gateway's workload, else
 * {@code istio-system}) looks the DestinationRule up in Istio's order (client namespace → service namespace → root).
 * {@code MP0201}: no DestinationRule defines the subset; {@code MP0214}: one does, but not the one these clients use,
 * or only the Istio 1.0–1.4 compatibility fallback ({@link DestinationRuleScopes#fallback}) finds it;
 * {@code MP0206}: no workload (or ServiceEntry endpoint) carries its
 * labels.
 */
final class SubsetChecks {
    private final MeshModel model;
    private final DestinationRuleScopes scopes;
    private final Map<String, GatewayDef> gateways = new HashMap<>();

    SubsetChecks(MeshModel model) {
        this.model = model;
        this.scopes = new DestinationRuleScopes(model);
        model.gateways().forEach(g -> gateways.putIfAbsent(g.src().key(), g));
    }

    void check(VirtualServiceDef vs, HttpDest d, Findings findings) {
        if (d.subset() == null) {
            return;
        }
        DestinationRuleDef used = null;
        for (String ns : clientNamespaces(vs)) {
            DestinationRuleDef dr = scopes.istio(ns, d.host());
            if (dr != null && dr.subsets().containsKey(d.subset())) {
                used = used == null ? dr : used;
                continue;
            }
            DestinationRuleDef compat = dr == null ? scopes.fallback(ns, d.host()) : null;
            if (compat != null && compat.subsets().containsKey(d.subset())) {
                used = used == null ? compat : used;
                String serviceNs = scopes.serviceNamespace(d.host());
                findings.warn("MP0214", vs.src(), d.line(), d.field() + ".subset", "subset \"" + d.subset() + "\" of "
                        + d.host() + " comes from DestinationRule " + compat.src().key() + ", which Istio 1.5+ does not "
                        + "apply to clients in namespace " + ns + " (it looks in the client's namespace, then the "
                        + "service's, then " + LegacyConverter.ROOT_NAMESPACE + "); Meshpilot lends its subsets to routes as "
                        + "Istio 1.0–1.4 did (not its trafficPolicy): move the rule to namespace " + (serviceNs == null ? "" : serviceNs + " or ")
                        + LegacyConverter.ROOT_NAMESPACE + " to keep this route working on Istio 1.5+");
                continue;
            }
            Set<String> anywhere = ReferenceChecks.subsetsFor(d.host(), model.destinationRules());
            if (!anywhere.contains(d.subset())) {
                findings.error("MP0201", vs.src(), d.line(), d.field() + ".subset", "subset \"" + d.subset()
                        + "\" is not defined by any DestinationRule for " + d.host()
                        + (anywhere.isEmpty() ? "" : " (defined: " + String.join(", ", anywhere) + ")"));
                return;
            }
            DestinationRuleDef definer = model.destinationRules().stream().filter(r -> Hosts.matches(r.host(), d.host())
                    && r.subsets().containsKey(d.subset())).findFirst().orElseThrow();
            DestinationRuleDef seen = dr != null ? dr : compat;
            findings.warn("MP0214", vs.src(), d.line(), d.field() + ".subset", "subset \"" + d.subset() + "\" of "
                    + d.host() + " is defined by DestinationRule " + definer.src().key() + ", but clients in namespace "
                    + ns + " use " + (seen == null ? "no DestinationRule" : "DestinationRule " + seen.src().key())
                    + " for that host (Istio 1.1+ looks in the client's namespace, then the service's, then "
                    + LegacyConverter.ROOT_NAMESPACE + ", honouring exportTo): requests from there get 503; move the "
                    + "rule to the service's namespace (Istio 1.0 applied every DestinationRule mesh-wide)");
            return;
        }
        if (used != null && !model.workloads().isEmpty()) {
            checkEndpoints(vs, d, used.subsets().get(d.subset()).labels(), findings);
        }
    }

    DestinationRuleScopes scopes() {
        return scopes;
    }

    private Set<String> clientNamespaces(VirtualServiceDef vs) {
        Set<String> out = new LinkedHashSet<>();
        if (vs.mesh()) {
            out.add(vs.src().namespace());
        }
        for (String key : vs.gateways()) {
            GatewayDef gw = gateways.get(key);
            String ns = gw == null ? null : model.workloads().stream()
                    .filter(w -> !gw.selector().isEmpty() && Authorizer.selects(gw.selector(), w.labels()))
                    .map(w -> w.namespace()).findFirst().orElse(null);
            out.add(ns == null ? LegacyConverter.ROOT_NAMESPACE : ns);
        }
        return out;
    }

    private void checkEndpoints(VirtualServiceDef vs, HttpDest d, Map<String, String> subsetLabels, Findings findings) {
        ServiceSpec service = model.services().stream().filter(s -> s.fqdn().equals(d.host())).findFirst().orElse(null);
        if (service != null) {
            Map<String, String> selector = new HashMap<>(service.selector());
            selector.putAll(subsetLabels);
            boolean served = model.workloads().stream().anyMatch(w -> w.namespace().equals(service.namespace())
                    && Authorizer.selects(selector, w.labels()));
            if (!served) {
                findings.warn("MP0206", vs.src(), d.line(), d.field() + ".subset", "no Deployment has the labels "
                        + selector + " of subset \"" + d.subset() + "\" of " + d.host() + ": requests routed there get 503");
            }
            return;
        }
        List<ServiceEntryDef> entries = model.serviceEntries().stream()
                .filter(se -> se.hosts().contains(d.host()) && !se.details().endpoints().isEmpty()).toList();
        if (!entries.isEmpty() && entries.stream().flatMap(se -> se.details().endpoints().stream())
                .noneMatch(e -> Authorizer.selects(subsetLabels, e.labels()))) {
            findings.warn("MP0206", vs.src(), d.line(), d.field() + ".subset", "no endpoint of ServiceEntry "
                    + entries.get(0).src().key() + " has the labels " + subsetLabels + " of subset \"" + d.subset()
                    + "\" of " + d.host() + ": requests routed there get 503");
        }
    }
}
