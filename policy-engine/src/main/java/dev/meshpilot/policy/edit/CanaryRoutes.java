package dev.meshpilot.policy.edit;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.policy.internal.Fields;
import dev.meshpilot.policy.internal.Findings;
import dev.meshpilot.policy.internal.Net.HttpDest;
import dev.meshpilot.policy.internal.Net.HttpRule;
import dev.meshpilot.policy.internal.Net.VirtualServiceDef;
import dev.meshpilot.policy.internal.Nodes;
import dev.meshpilot.policy.internal.Resource;
import dev.meshpilot.policy.internal.ResourceLoader;
import dev.meshpilot.policy.internal.VirtualServiceParser;
import dev.meshpilot.policy.route.WeightedDestination;
import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** Finds the traffic splits (http routes with two or more destinations) in a set of files. */
public final class CanaryRoutes {
    private CanaryRoutes() {}

    /** Every http route with two or more destinations, in file and rule order. Files that do not parse are skipped. */
    public static List<CanaryRoute> find(List<SourceFile> files) {
        requireNonNull(files, "files");
        List<CanaryRoute> out = new ArrayList<>();
        Findings ignored = new Findings();
        for (Resource r : ResourceLoader.load(files, ignored)) {
            if (!r.kind().equals("VirtualService") || !r.group().equals("networking.istio.io")) {
                continue;
            }
            VirtualServiceDef vs = VirtualServiceParser.parse(new Fields(r, ignored));
            if (vs == null) {
                continue;
            }
            Node spec = Nodes.get(r.node(), "spec");
            List<String> hosts = texts(Nodes.get(spec, "hosts"));
            List<String> gateways = texts(Nodes.get(spec, "gateways")).stream().filter(g -> !g.equals("mesh")).toList();
            for (HttpRule rule : vs.http()) {
                if (rule.route().size() < 2) {
                    continue;
                }
                List<WeightedDestination> dests = new ArrayList<>();
                for (HttpDest d : rule.route()) {
                    int w = d.weight() == null ? 0 : Math.max(0, Math.min(100, d.weight()));
                    dests.add(new WeightedDestination(d.host(), d.subset(), d.port(), w));
                }
                out.add(new CanaryRoute(r.file(), r.namespace(), r.name(), hosts, gateways, rule.index(), dests));
            }
        }
        return out;
    }

    private static List<String> texts(Node node) {
        List<String> out = new ArrayList<>();
        if (node instanceof SequenceNode s) {
            for (Node n : s.getValue()) {
                String t = Nodes.text(n);
                if (t != null) {
                    out.add(t);
                }
            }
        }
        return out;
    }
}
