package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Net.HttpDest;
import dev.meshpilot.policy.internal.Net.HttpMatch;
import dev.meshpilot.policy.internal.Net.HttpRule;
import dev.meshpilot.policy.internal.Net.L4Rule;
import dev.meshpilot.policy.internal.Net.VirtualServiceDef;
import dev.meshpilot.policy.route.HttpRouteExtras;
import dev.meshpilot.policy.route.RetryPolicy;
import dev.meshpilot.policy.route.RouteDecision;
import dev.meshpilot.policy.route.WeightedDestination;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/** Parses and checks a VirtualService (schema, weights); cross-resource references are checked by the analyzer. */
public final class VirtualServiceParser {
    private VirtualServiceParser() {}

    public static @Nullable VirtualServiceDef parse(Fields f) {
        Resource r = f.resource();
        MappingNode spec = f.map(r.node(), "spec", "spec", true);
        if (spec == null) {
            return null;
        }
        String ns = r.namespace();
        List<String> hosts = f.strings(spec, "hosts", "spec.hosts");
        if (hosts.isEmpty()) {
            f.error("MP0102", spec, "spec.hosts", "required field is missing: a VirtualService needs at least one host");
        }
        List<String> gateways = new ArrayList<>();
        boolean mesh = false;
        List<String> rawGateways = f.strings(spec, "gateways", "spec.gateways");
        for (String g : rawGateways) {
            if (g.equals("mesh")) {
                mesh = true;
            } else {
                gateways.add(g.contains("/") ? g : ns + "/" + g);
            }
        }
        if (rawGateways.isEmpty()) {
            mesh = true;
        }
        List<HttpRule> http = new ArrayList<>();
        List<Node> rules = f.list(spec, "http", "spec.http", false);
        for (int i = 0; i < rules.size(); i++) {
            HttpRule rule = rule(f, rules.get(i), i, ns, r.key());
            if (rule != null) {
                http.add(rule);
            }
        }
        List<L4Rule> tls = l4(f, spec, "tls", ns, r.key());
        List<L4Rule> tcp = l4(f, spec, "tcp", ns, r.key());
        List<String> resolved = hosts.stream().map(h -> Hosts.fqdn(h, ns)).toList();
        return new VirtualServiceDef(r, resolved, gateways, mesh, ExportTo.read(f, spec), http,
                tls, tcp);
    }

    private static @Nullable HttpRule rule(Fields f, Node node, int i, String ns, String vsKey) {
        String path = "spec.http[" + i + "]";
        if (!(node instanceof MappingNode)) {
            f.error("MP0101", node, path, "expected a mapping, found " + Fields.describe(node));
            return null;
        }
        List<HttpMatch> matches = new ArrayList<>();
        List<Node> ms = f.list(node, "match", path + ".match", false);
        for (int m = 0; m < ms.size(); m++) {
            HttpMatch match = MatchParser.parse(f, ms.get(m), path + ".match[" + m + "]");
            if (match != null) {
                matches.add(match);
            }
        }
        List<HttpDest> route = destinations(f, node, "route", path, ns);
        HttpRouteExtras extras = ExtrasParser.parse(f, node, path, ns);
        if (route.isEmpty() && extras.redirect() == null && extras.directResponse() == null) {
            f.error("MP0102", node, path + ".route", "required field is missing: an http rule needs a route, "
                    + "a redirect or a directResponse");
        }
        checkWeights(f, node, path, route);
        Duration timeout = f.duration(node, "timeout", path + ".timeout");
        RetryPolicy retries = retries(f, node, path + ".retries");
        RouteDecision decision = new RouteDecision(vsKey, i, weighted(route), timeout, retries, extras, null);
        List<RouteDecision> blocks = new ArrayList<>(matches.size());
        for (HttpMatch m : matches) {
            blocks.add(matchedPrefix(m) == null ? decision : decision.withMatchedPrefix(matchedPrefix(m)));
        }
        return new HttpRule(i, f.str(node, "name", path + ".name", false), matches, route, timeout,
                retries, decision, blocks);
    }

    /** The part of the path Envoy's prefix rewrite replaces for this block: a prefix or exact uri's value. */
    private static @Nullable String matchedPrefix(HttpMatch m) {
        if (m.uri() == null || m.uri().type() == Net.MatchType.REGEX) {
            return null;
        }
        return m.uri().value();
    }

    static List<HttpDest> destinations(Fields f, Node node, String key, String path, String ns) {
        List<HttpDest> out = new ArrayList<>();
        List<Node> items = f.list(node, key, path + "." + key, false);
        for (int d = 0; d < items.size(); d++) {
            String dp = path + "." + key + "[" + d + "]";
            Node item = items.get(d);
            MappingNode dest = f.map(item, "destination", dp + ".destination", true);
            if (dest == null) {
                continue;
            }
            String host = f.str(dest, "host", dp + ".destination.host", true);
            String subset = f.str(dest, "subset", dp + ".destination.subset", false);
            Integer port = null;
            MappingNode portNode = f.map(dest, "port", dp + ".destination.port", false);
            if (portNode != null) {
                port = f.integer(portNode, "number", dp + ".destination.port.number", true);
                if (port != null && (port < 1 || port > 65535)) {
                    f.error("MP0103", Nodes.get(portNode, "number"), dp + ".destination.port.number",
                            "port: " + port + " (expected: 1..65535)");
                }
            }
            Integer weight = f.integer(item, "weight", dp + ".weight", false);
            if (weight != null && (weight < 0 || weight > 100)) {
                f.error("MP0103", Nodes.get(item, "weight"), dp + ".weight", "weight: " + weight + " (expected: 0..100)");
            }
            if (host != null) {
                int line = subset != null ? Nodes.line(Nodes.get(dest, "subset")) : Nodes.line(Nodes.get(dest, "host"));
                out.add(new HttpDest(Hosts.fqdn(host, ns), subset, port, weight, line, dp + ".destination"));
            }
        }
        return out;
    }

    private static void checkWeights(Fields f, Node node, String path, List<HttpDest> route) {
        if (route.size() < 2) {
            return;
        }
        int sum = route.stream().mapToInt(d -> d.weight() == null ? 0 : d.weight()).sum();
        if (sum != 100) {
            f.error("MP0203", Nodes.get(node, "route"), path + ".route",
                    "weights add up to " + sum + " (expected: 100 when a route has more than one destination)");
        }
    }

    private static @Nullable RetryPolicy retries(Fields f, Node node, String path) {
        MappingNode m = f.map(node, "retries", path, false);
        if (m == null) {
            return null;
        }
        Integer attempts = f.integer(m, "attempts", path + ".attempts", true);
        if (attempts != null && attempts < 0) {
            f.error("MP0103", Nodes.get(m, "attempts"), path + ".attempts", "attempts: " + attempts + " (expected: >= 0)");
        }
        Duration perTry = f.duration(m, "perTryTimeout", path + ".perTryTimeout");
        String retryOn = f.str(m, "retryOn", path + ".retryOn", false);
        List<String> on = retryOn == null ? List.of()
                : Arrays.stream(retryOn.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return new RetryPolicy(attempts == null ? 0 : Math.max(0, attempts), perTry, on);
    }

    private static List<L4Rule> l4(Fields f, Node spec, String key, String ns, String vsKey) {
        List<L4Rule> out = new ArrayList<>();
        List<Node> rules = f.list(spec, key, "spec." + key, false);
        for (int i = 0; i < rules.size(); i++) {
            String path = "spec." + key + "[" + i + "]";
            List<Integer> ports = new ArrayList<>();
            List<String> sni = new ArrayList<>();
            List<Node> ms = f.list(rules.get(i), "match", path + ".match", false);
            for (int m = 0; m < ms.size(); m++) {
                Integer port = f.integer(ms.get(m), "port", path + ".match[" + m + "].port", false);
                if (port != null) {
                    ports.add(port);
                }
                sni.addAll(f.strings(ms.get(m), "sniHosts", path + ".match[" + m + "].sniHosts"));
                sni.addAll(f.strings(ms.get(m), "sni_hosts", path + ".match[" + m + "].sni_hosts"));
            }
            List<HttpDest> route = destinations(f, rules.get(i), "route", path, ns);
            checkWeights(f, rules.get(i), path, route);
            out.add(new L4Rule(i, ports, sni, route, new RouteDecision(vsKey, i, weighted(route), null, null)));
        }
        return out;
    }

    private static List<WeightedDestination> weighted(List<HttpDest> route) {
        return route.stream().map(d -> new WeightedDestination(d.host(), d.subset(), d.port(),
                clamp(d.weight() == null ? (route.size() == 1 ? 100 : 0) : d.weight()))).toList();
    }

    private static int clamp(int w) {
        return Math.max(0, Math.min(100, w));
    }
}
