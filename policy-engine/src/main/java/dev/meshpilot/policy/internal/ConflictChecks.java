package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Net.DestinationRuleDef;
import dev.meshpilot.policy.internal.Net.HttpDest;
import dev.meshpilot.policy.internal.Net.HttpRule;
import dev.meshpilot.policy.internal.Net.L4Rule;
import dev.meshpilot.policy.internal.Net.VirtualServiceDef;
import dev.meshpilot.policy.workload.ServiceSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Conflicts between resources: one host bound to one gateway by two VirtualServices ({@code MP0207}), two
 * DestinationRules for one host in one namespace ({@code MP0209}), and destination ports that the Service does
 * not expose ({@code MP0210}).
 */
final class ConflictChecks {
    private ConflictChecks() {}

    static void check(MeshModel model, Findings findings) {
        sameHostOnGateway(model, findings);
        sameHostDestinationRules(model, findings);
        Map<String, ServiceSpec> services = new HashMap<>();
        model.services().forEach(s -> services.putIfAbsent(s.fqdn(), s));
        for (VirtualServiceDef vs : model.virtualServices()) {
            List<HttpDest> dests = new ArrayList<>();
            vs.http().stream().map(HttpRule::route).forEach(dests::addAll);
            vs.tls().stream().map(L4Rule::route).forEach(dests::addAll);
            vs.tcp().stream().map(L4Rule::route).forEach(dests::addAll);
            for (HttpDest d : dests) {
                ServiceSpec s = services.get(d.host());
                if (d.port() != null && s != null && !s.ports().isEmpty()
                        && s.ports().stream().noneMatch(p -> p.port() == d.port())) {
                    String field = d.field() + ".port.number";
                    Node node = at(vs.src().node(), field);
                    findings.error("MP0210", vs.src(), node == null ? d.line() : Nodes.line(node), field,
                            "port " + d.port() + " is not a port of Service " + s.namespace() + "/" + s.name()
                                    + " (ports: " + s.ports().stream().map(p -> String.valueOf(p.port()))
                                            .collect(Collectors.joining(", ")) + ")");
                }
            }
        }
    }

    private static void sameHostOnGateway(MeshModel model, Findings findings) {
        Map<String, VirtualServiceDef> first = new LinkedHashMap<>();
        for (VirtualServiceDef vs : model.virtualServices()) {
            Node list = Nodes.get(Nodes.get(vs.src().node(), "spec"), "gateways");
            List<Node> items = list instanceof SequenceNode s ? s.getValue() : List.of();
            for (int g = 0; g < items.size(); g++) {
                String name = Nodes.text(items.get(g));
                if (name == null || name.equals("mesh")) {
                    continue;
                }
                String gateway = name.contains("/") ? name : vs.src().namespace() + "/" + name;
                for (String host : vs.hosts()) {
                    VirtualServiceDef other = first.putIfAbsent(gateway + " " + host, vs);
                    if (other != null && other != vs) {
                        findings.warn("MP0207", vs.src(), Nodes.line(items.get(g)), "spec.gateways[" + g + "]",
                                "host " + host + " is also bound to gateway " + gateway + " by VirtualService "
                                        + other.key() + " (" + other.src().file() + ":" + other.src().line()
                                        + "): Istio merges the two unpredictably; move the routes into one VirtualService");
                    }
                }
            }
        }
    }

    private static void sameHostDestinationRules(MeshModel model, Findings findings) {
        DestinationRuleMerge.Result merged = DestinationRuleMerge.merge(model.destinationRules());
        for (DestinationRuleDef dr : model.destinationRules()) {
            DestinationRuleDef other = DestinationRuleMerge.first(model.destinationRules(), dr);
            if (other != null) {
                Node host = Nodes.get(Nodes.get(dr.src().node(), "spec"), "host");
                boolean ignored = merged.ignored().stream().anyMatch(i -> i.rule() == dr);
                findings.warn("MP0209", dr.src(), Nodes.line(host), "spec.host", "DestinationRule " + other.src().key()
                        + " (" + other.src().file() + ":" + other.src().line() + ") already sets host " + dr.host()
                        + " in namespace " + dr.src().namespace() + ": Istio merges them (subsets added, the first "
                        + "top-level trafficPolicy applies" + (ignored ? ", so this rule's trafficPolicy is ignored" : "")
                        + "); one rule per host is clearer");
            }
        }
        for (DestinationRuleMerge.Shadowed s : merged.shadowed()) {
            findings.warn("MP0213", s.rule().src(), s.subset().line(), "spec.subsets", "subset \"" + s.subset().name()
                    + "\" is also defined by DestinationRule " + s.winner().src().key() + " (" + s.winner().src().file()
                    + ":" + s.winner().src().line() + ") for host " + s.rule().host() + ": Istio keeps that first "
                    + "definition and ignores this one; rename or remove it");
        }
    }

    /** The node at a path such as {@code spec.http[0].route[1].destination.port.number}, or null. */
    static @Nullable Node at(Node root, String path) {
        Node node = root;
        for (String part : path.split("\\.")) {
            int bracket = part.indexOf('[');
            node = Nodes.get(node, bracket < 0 ? part : part.substring(0, bracket));
            while (bracket >= 0 && node != null) {
                int close = part.indexOf(']', bracket);
                int index = Integer.parseInt(part.substring(bracket + 1, close));
                node = node instanceof SequenceNode s && index < s.getValue().size() ? s.getValue().get(index) : null;
                bracket = part.indexOf('[', close);
            }
            if (node == null) {
                return null;
            }
        }
        return node;
    }
}
