package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Net.DestinationRuleDef;
import dev.meshpilot.policy.internal.Net.GatewayDef;
import dev.meshpilot.policy.internal.Net.ServerDef;
import dev.meshpilot.policy.internal.Net.ServiceEntryDef;
import dev.meshpilot.policy.internal.Net.SubsetDef;
import dev.meshpilot.policy.route.GatewayServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/** Parsers for Gateway, DestinationRule and ServiceEntry. */
public final class NetworkParsers {
    private NetworkParsers() {}

    public static @Nullable GatewayDef gateway(Fields f) {
        MappingNode spec = f.map(f.resource().node(), "spec", "spec", true);
        if (spec == null) {
            return null;
        }
        List<ServerDef> servers = new ArrayList<>();
        List<GatewayServer> view = new ArrayList<>();
        List<Node> items = f.list(spec, "servers", "spec.servers", true);
        for (int i = 0; i < items.size(); i++) {
            GatewayServerParser.Parsed parsed = GatewayServerParser.parse(f, items.get(i), i);
            if (parsed != null) {
                servers.add(parsed.def());
                view.add(parsed.server());
            }
        }
        return new GatewayDef(f.resource(), f.stringMap(spec, "selector", "spec.selector"), List.copyOf(servers),
                List.copyOf(view));
    }

    public static @Nullable DestinationRuleDef destinationRule(Fields f) {
        Resource r = f.resource();
        MappingNode spec = f.map(r.node(), "spec", "spec", true);
        if (spec == null) {
            return null;
        }
        String host = f.str(spec, "host", "spec.host", true);
        TrafficPolicyParser.Parsed policy = TrafficPolicyParser.parse(f, spec, "spec");
        Map<String, SubsetDef> subsets = new LinkedHashMap<>();
        List<Node> items = f.list(spec, "subsets", "spec.subsets", false);
        for (int i = 0; i < items.size(); i++) {
            String path = "spec.subsets[" + i + "]";
            String name = f.str(items.get(i), "name", path + ".name", true);
            Map<String, String> labels = f.stringMap(items.get(i), "labels", path + ".labels");
            TrafficPolicyParser.Parsed subsetPolicy = TrafficPolicyParser.parse(f, items.get(i), path);
            if (name != null && subsets.putIfAbsent(name, new SubsetDef(name, labels, subsetPolicy,
                    Nodes.line(items.get(i)))) != null) {
                f.error("MP0208", Nodes.get(items.get(i), "name"), path + ".name", "subset \"" + name
                        + "\" is defined twice in this DestinationRule; rename or remove one of them");
            }
        }
        if (host == null) {
            return null;
        }
        return new DestinationRuleDef(r, Hosts.fqdn(host, r.namespace()), subsets,
                ExportTo.read(f, spec), policy);
    }

    public static @Nullable ServiceEntryDef serviceEntry(Fields f) {
        return ServiceEntryParser.parse(f);
    }
}
