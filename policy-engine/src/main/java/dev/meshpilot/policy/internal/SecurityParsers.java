package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Sec.AuthorizationPolicyDef;
import dev.meshpilot.policy.internal.Sec.Condition;
import dev.meshpilot.policy.internal.Sec.Operation;
import dev.meshpilot.policy.internal.Sec.PeerAuthenticationDef;
import dev.meshpilot.policy.internal.Sec.RequestAuthenticationDef;
import dev.meshpilot.policy.internal.Sec.Rule;
import dev.meshpilot.policy.internal.Sec.Source;
import dev.meshpilot.policy.internal.Sec.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/** Parsers for PeerAuthentication, AuthorizationPolicy and RequestAuthentication. */
public final class SecurityParsers {
    private static final Set<String> ACTIONS = Set.of("ALLOW", "DENY", "AUDIT", "CUSTOM");
    private static final Set<String> MODES = Set.of("STRICT", "PERMISSIVE", "DISABLE", "UNSET");

    private SecurityParsers() {}

    private static @Nullable Map<String, String> selector(Fields f, @Nullable Node spec) {
        MappingNode sel = spec == null ? null : f.map(spec, "selector", "spec.selector", false);
        return sel == null ? null : f.stringMap(sel, "matchLabels", "spec.selector.matchLabels");
    }

    public static @Nullable AuthorizationPolicyDef authorizationPolicy(Fields f) {
        Node specNode = Nodes.get(f.resource().node(), "spec");
        MappingNode spec = Nodes.isNull(specNode) ? null : f.map(f.resource().node(), "spec", "spec", false);
        String action = spec == null ? null : f.str(spec, "action", "spec.action", false);
        if (action != null && !ACTIONS.contains(action)) {
            f.error("MP0103", Nodes.get(spec, "action"), "spec.action",
                    "action: " + action + " (expected: one of ALLOW, DENY, AUDIT, CUSTOM)");
            return null;
        }
        List<Rule> rules = new ArrayList<>();
        List<Node> items = spec == null ? List.of() : f.list(spec, "rules", "spec.rules", false);
        for (int i = 0; i < items.size(); i++) {
            rules.add(rule(f, items.get(i), "spec.rules[" + i + "]"));
        }
        if ("DENY".equals(action) && rules.isEmpty()) {
            f.warn("MP0301", spec, "spec.rules", "a DENY policy without rules never matches: it denies nothing");
        }
        MappingNode providerNode = spec == null ? null : f.map(spec, "provider", "spec.provider", false);
        String provider = providerNode == null ? null : f.str(providerNode, "name", "spec.provider.name", false);
        if ("CUSTOM".equals(action)) {
            CustomPolicyChecks.check(f, spec, items, provider);
        } else if (providerNode != null) {
            f.error("MP0103", providerNode, "spec.provider", "provider is set on a " + (action == null ? "ALLOW" : action)
                    + " policy (expected: only with action CUSTOM)");
        }
        return new AuthorizationPolicyDef(f.resource(), selector(f, spec), action == null ? "ALLOW" : action,
                List.copyOf(rules), provider, dryRun(f));
    }

    /** Istio's {@code istio.io/dry-run} annotation, a Go boolean (true, 1, t, True, TRUE; false likewise). */
    private static boolean dryRun(Fields f) {
        Node value = Nodes.get(Nodes.get(Nodes.get(f.resource().node(), "metadata"), "annotations"), "istio.io/dry-run");
        String text = Nodes.text(value);
        if (text == null) {
            return false;
        }
        if (Set.of("1", "t", "T", "true", "TRUE", "True").contains(text)) {
            return true;
        }
        if (!Set.of("0", "f", "F", "false", "FALSE", "False").contains(text)) {
            f.error("MP0103", value, "metadata.annotations.istio.io/dry-run", "istio.io/dry-run: " + text
                    + " (expected: \"true\" or \"false\")");
        }
        return false;
    }

    private static Rule rule(Fields f, Node node, String path) {
        List<Source> from = new ArrayList<>();
        List<Node> fs = f.list(node, "from", path + ".from", false);
        for (int i = 0; i < fs.size(); i++) {
            String p = path + ".from[" + i + "].source";
            MappingNode s = f.map(fs.get(i), "source", p, true);
            if (s != null) {
                from.add(new Source(values(f, s, "principals", p), values(f, s, "requestPrincipals", p),
                        values(f, s, "namespaces", p), values(f, s, "ipBlocks", p), values(f, s, "remoteIpBlocks", p)));
            }
        }
        List<Operation> to = new ArrayList<>();
        List<Node> ts = f.list(node, "to", path + ".to", false);
        for (int i = 0; i < ts.size(); i++) {
            String p = path + ".to[" + i + "].operation";
            MappingNode o = f.map(ts.get(i), "operation", p, true);
            if (o != null) {
                to.add(new Operation(values(f, o, "hosts", p), values(f, o, "ports", p), values(f, o, "methods", p),
                        values(f, o, "paths", p)));
            }
        }
        List<Condition> when = new ArrayList<>();
        List<Node> ws = f.list(node, "when", path + ".when", false);
        for (int i = 0; i < ws.size(); i++) {
            String p = path + ".when[" + i + "]";
            String key = f.str(ws.get(i), "key", p + ".key", true);
            if (key != null) {
                when.add(new Condition(key, f.strings(ws.get(i), "values", p + ".values"),
                        f.strings(ws.get(i), "notValues", p + ".notValues")));
            }
        }
        return new Rule(List.copyOf(from), List.copyOf(to), List.copyOf(when));
    }

    private static Values values(Fields f, Node parent, String key, String path) {
        String not = "not" + Character.toUpperCase(key.charAt(0)) + key.substring(1);
        List<String> in = f.strings(parent, key, path + "." + key);
        List<String> out = f.strings(parent, not, path + "." + not);
        return in.isEmpty() && out.isEmpty() ? Values.ANY : new Values(List.copyOf(in), List.copyOf(out));
    }

    public static @Nullable PeerAuthenticationDef peerAuthentication(Fields f) {
        MappingNode spec = f.map(f.resource().node(), "spec", "spec", false);
        String mode = mode(f, spec == null ? null : f.map(spec, "mtls", "spec.mtls", false), "spec.mtls.mode");
        Map<Integer, String> ports = new LinkedHashMap<>();
        MappingNode portLevel = spec == null ? null : f.map(spec, "portLevelMtls", "spec.portLevelMtls", false);
        if (portLevel != null) {
            for (NodeTuple t : portLevel.getValue()) {
                String k = Nodes.text(t.getKeyNode());
                Integer port = k == null ? null : Fields.parseInt(k);
                String p = "spec.portLevelMtls." + k;
                if (port == null) {
                    f.error("MP0103", t.getKeyNode(), p, "port: " + k + " (expected: a port number)");
                    continue;
                }
                ports.put(port, mode(f, t.getValueNode() instanceof MappingNode m ? m : null, p + ".mode"));
            }
        }
        Map<String, String> selector = selector(f, spec);
        if (!ports.isEmpty() && selector == null) {
            f.error("MP0103", portLevel, "spec.portLevelMtls", "portLevelMtls needs a workload selector");
        }
        return new PeerAuthenticationDef(f.resource(), selector, mode, Map.copyOf(ports));
    }

    private static String mode(Fields f, @Nullable MappingNode mtls, String path) {
        String mode = mtls == null ? null : f.str(mtls, "mode", path, false);
        if (mode != null && !MODES.contains(mode)) {
            f.error("MP0103", Nodes.get(mtls, "mode"), path,
                    "mode: " + mode + " (expected: one of STRICT, PERMISSIVE, DISABLE, UNSET)");
            return "UNSET";
        }
        return mode == null ? "UNSET" : mode;
    }

    public static @Nullable RequestAuthenticationDef requestAuthentication(Fields f) {
        return RequestAuthenticationParser.parse(f);
    }
}
