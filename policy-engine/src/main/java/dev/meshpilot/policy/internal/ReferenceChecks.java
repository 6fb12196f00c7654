package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Net.DestinationRuleDef;
import dev.meshpilot.policy.internal.Net.GatewayDef;
import dev.meshpilot.policy.internal.Net.HttpDest;
import dev.meshpilot.policy.internal.Net.HttpRule;
import dev.meshpilot.policy.internal.Net.L4Rule;
import dev.meshpilot.policy.internal.Net.VirtualServiceDef;
import dev.meshpilot.policy.workload.ServiceSpec;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Checks between resources: gateways a VirtualService binds ({@code MP0202}), subsets it routes to
 * ({@link SubsetChecks}: {@code MP0201}, {@code MP0206}), destination hosts that nothing defines ({@code MP0204}, a warning) and VirtualService
 * hosts that no server of a bound Gateway accepts ({@code MP0205}, a warning); then {@link CompatibilityRuleChecks},
 * {@link ConflictChecks},
 * {@link IdentityChecks} and {@link MtlsSenseChecks}.
 */
public final class ReferenceChecks {
    private ReferenceChecks() {}

    public static void check(MeshModel model, Findings findings) {
        Map<String, GatewayDef> gateways = model.gateways().stream()
                .collect(Collectors.toMap(g -> g.src().key(), Function.identity(), (a, b) -> a));
        Set<String> knownHosts = new HashSet<>();
        model.services().stream().map(ServiceSpec::fqdn).forEach(knownHosts::add);
        model.serviceEntries().forEach(se -> knownHosts.addAll(se.hosts()));
        SubsetChecks subsets = new SubsetChecks(model);
        for (VirtualServiceDef vs : model.virtualServices()) {
            checkGateways(vs, gateways, findings);
            for (HttpRule rule : vs.http()) {
                for (HttpDest d : rule.route()) {
                    checkDestination(vs, d, subsets, knownHosts, findings);
                }
            }
            for (L4Rule rule : vs.tls()) {
                rule.route().forEach(d -> checkDestination(vs, d, subsets, knownHosts, findings));
            }
            for (L4Rule rule : vs.tcp()) {
                rule.route().forEach(d -> checkDestination(vs, d, subsets, knownHosts, findings));
            }
        }
        CompatibilityRuleChecks.check(model, subsets.scopes(), findings);
        ConflictChecks.check(model, findings);
        IdentityChecks.check(model, findings);
        MtlsSenseChecks.check(model, findings);
        SidecarScopes.of(model, findings);
    }

    private static void checkGateways(VirtualServiceDef vs, Map<String, GatewayDef> gateways, Findings findings) {
        Node list = Nodes.get(Nodes.get(vs.src().node(), "spec"), "gateways");
        List<Node> items = list instanceof SequenceNode s ? s.getValue() : List.of();
        for (int i = 0; i < items.size(); i++) {
            String name = Nodes.text(items.get(i));
            if (name == null || name.equals("mesh")) {
                continue;
            }
            String key = name.contains("/") ? name : vs.src().namespace() + "/" + name;
            GatewayDef gw = gateways.get(key);
            String field = "spec.gateways[" + i + "]";
            if (gw == null) {
                findings.error("MP0202", vs.src(), Nodes.line(items.get(i)), field,
                        "gateway \"" + key + "\" does not exist (define a Gateway " + key
                                + " or bind the VirtualService to an existing one)");
                continue;
            }
            boolean accepted = vs.hosts().stream().anyMatch(h -> gw.servers().stream()
                    .anyMatch(s -> s.hosts().stream().anyMatch(sh -> Hosts.overlap(hostPart(sh), h))));
            if (!accepted) {
                findings.warn("MP0205", vs.src(), Nodes.line(items.get(i)), field, "no server of gateway " + key
                        + " accepts the hosts " + vs.hosts() + ": this VirtualService never routes on it");
            }
        }
    }

    static String hostPart(String serverHost) {
        int slash = serverHost.indexOf('/');
        return slash < 0 ? serverHost : serverHost.substring(slash + 1);
    }

    private static void checkDestination(VirtualServiceDef vs, HttpDest d, SubsetChecks subsets, Set<String> knownHosts,
            Findings findings) {
        subsets.check(vs, d, findings);
        if (!knownHosts.contains(d.host()) && knownHosts.stream().noneMatch(h -> h.startsWith("*") && Hosts.matches(h, d.host()))) {
            findings.warn("MP0204", vs.src(), d.line(), d.field() + ".host", "host " + d.host()
                    + " is not a Service or ServiceEntry in this configuration");
        }
    }

    /** Every subset name that a DestinationRule for this host (exact or wildcard) defines. */
    public static Set<String> subsetsFor(String host, List<DestinationRuleDef> rules) {
        Set<String> out = new LinkedHashSet<>();
        for (DestinationRuleDef dr : rules) {
            if (Hosts.matches(dr.host(), host)) {
                out.addAll(dr.subsets().keySet());
            }
        }
        return out;
    }
}
