package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.route.EgressDecision;
import dev.meshpilot.policy.route.SidecarConfig;
import dev.meshpilot.policy.route.SidecarConfig.EgressListener;
import dev.meshpilot.policy.route.SidecarConfig.IngressListener;
import dev.meshpilot.policy.route.SidecarConfig.Port;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/** Parses a Sidecar resource with Istio's validation of its egress and ingress listeners. */
final class SidecarParser {
    private static final Set<String> CAPTURE = Set.of("DEFAULT", "IPTABLES", "NONE");
    private static final Pattern ENDPOINT = Pattern.compile("(127\\.0\\.0\\.1|0\\.0\\.0\\.0|\\[::1]|\\[::]):(\\d{1,5})");

    /** A parsed Sidecar: its selector and the configuration the data plane gets. */
    record Parsed(Resource src, @Nullable Map<String, String> selector, SidecarConfig config) {}

    private SidecarParser() {}

    static @Nullable Parsed parse(Fields f) {
        Resource r = f.resource();
        MappingNode spec = f.map(r.node(), "spec", "spec", false);
        if (spec == null) {
            return null;
        }
        MappingNode ws = f.map(spec, "workloadSelector", "spec.workloadSelector", false);
        List<EgressListener> egress = egress(f, spec);
        List<IngressListener> ingress = ingress(f, spec);
        String mode = null;
        MappingNode otp = f.map(spec, "outboundTrafficPolicy", "spec.outboundTrafficPolicy", false);
        if (otp != null) {
            mode = f.str(otp, "mode", "spec.outboundTrafficPolicy.mode", false);
            if (mode != null && !mode.equals(EgressDecision.ALLOW_ANY) && !mode.equals(EgressDecision.REGISTRY_ONLY)) {
                f.error("MP0103", otp, "spec.outboundTrafficPolicy.mode", "mode: " + mode + " (expected: ALLOW_ANY or REGISTRY_ONLY)");
                mode = null;
            }
        }
        Map<String, String> selector = ws == null ? null : f.stringMap(ws, "labels", "spec.workloadSelector.labels");
        return new Parsed(r, selector, new SidecarConfig(r.key(), egress, ingress, mode));
    }

    private static List<EgressListener> egress(Fields f, MappingNode spec) {
        List<EgressListener> out = new ArrayList<>();
        Set<Integer> ports = new HashSet<>();
        List<Node> items = f.list(spec, "egress", "spec.egress", false);
        for (int i = 0; i < items.size(); i++) {
            String p = "spec.egress[" + i + "]";
            Node item = items.get(i);
            List<String> hosts = new ArrayList<>();
            for (String h : f.strings(item, "hosts", p + ".hosts")) {
                if (!h.contains("/")) {
                    f.error("MP0103", item, p + ".hosts", "host: " + h + " (expected: namespace/host such as ./* or istio-system/*)");
                } else {
                    hosts.add(h.toLowerCase(Locale.ROOT));
                }
            }
            if (Nodes.get(item, "hosts") == null) {
                f.error("MP0102", item, p + ".hosts", "required field is missing: an egress listener imports hosts");
            }
            Port port = port(f, item, p, false);
            if (port == null && i != items.size() - 1) {
                f.error("MP0103", item, p + ".port", "the egress listener without a port must be the last one "
                        + "(it serves every port the others do not)");
            }
            if (port != null && !ports.add(port.number())) {
                f.error("MP0103", Nodes.get(item, "port"), p + ".port", "port " + port.number()
                        + " has two egress listeners (expected: one per port)");
            }
            out.add(new EgressListener(port, bind(f, item, p), capture(f, item, p), hosts));
        }
        return List.copyOf(out);
    }

    private static List<IngressListener> ingress(Fields f, MappingNode spec) {
        List<IngressListener> out = new ArrayList<>();
        Set<Integer> ports = new HashSet<>();
        List<Node> items = f.list(spec, "ingress", "spec.ingress", false);
        for (int i = 0; i < items.size(); i++) {
            String p = "spec.ingress[" + i + "]";
            Node item = items.get(i);
            Port port = port(f, item, p, true);
            String endpoint = f.str(item, "defaultEndpoint", p + ".defaultEndpoint", false);
            if (endpoint != null && !endpoint.startsWith("unix://") && !validEndpoint(endpoint)) {
                f.error("MP0103", Nodes.get(item, "defaultEndpoint"), p + ".defaultEndpoint", "defaultEndpoint: "
                        + endpoint + " (expected: 127.0.0.1:PORT, 0.0.0.0:PORT, [::1]:PORT, [::]:PORT or unix://path)");
                endpoint = null;
            }
            if (port == null) {
                continue;
            }
            if (!ports.add(port.number())) {
                f.error("MP0103", Nodes.get(item, "port"), p + ".port", "port " + port.number()
                        + " has two ingress listeners (expected: one per port)");
                continue;
            }
            out.add(new IngressListener(port, bind(f, item, p), capture(f, item, p), endpoint));
        }
        return List.copyOf(out);
    }

    private static boolean validEndpoint(String endpoint) {
        var m = ENDPOINT.matcher(endpoint);
        if (!m.matches()) {
            return false;
        }
        int port = Integer.parseInt(m.group(2));
        return port >= 1 && port <= 65535;
    }

    private static @Nullable Port port(Fields f, Node item, String p, boolean required) {
        MappingNode port = f.map(item, "port", p + ".port", required);
        if (port == null) {
            return null;
        }
        Integer number = f.integer(port, "number", p + ".port.number", true);
        if (number == null) {
            return null;
        }
        if (number < 1 || number > 65535) {
            f.error("MP0103", Nodes.get(port, "number"), p + ".port.number", "port: " + number + " (expected: 1..65535)");
            return null;
        }
        String protocol = f.str(port, "protocol", p + ".port.protocol", false);
        return new Port(number, protocol == null ? "AUTO" : protocol.toUpperCase(Locale.ROOT),
                f.str(port, "name", p + ".port.name", false));
    }

    private static @Nullable String bind(Fields f, Node item, String p) {
        String bind = f.str(item, "bind", p + ".bind", false);
        if (bind != null && !bind.startsWith("unix://") && !Cidr.isIp(bind)) {
            f.error("MP0103", Nodes.get(item, "bind"), p + ".bind", "bind: " + bind
                    + " (expected: an IP address such as 127.0.0.1, or unix://path)");
            return null;
        }
        return bind;
    }

    private static String capture(Fields f, Node item, String p) {
        String mode = f.str(item, "captureMode", p + ".captureMode", false);
        if (mode == null) {
            return "DEFAULT";
        }
        if (!CAPTURE.contains(mode)) {
            f.error("MP0103", Nodes.get(item, "captureMode"), p + ".captureMode", "captureMode: " + mode
                    + " (expected: DEFAULT, IPTABLES or NONE)");
            return "DEFAULT";
        }
        return mode;
    }
}
