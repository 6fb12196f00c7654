package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.route.ClientTls;
import dev.meshpilot.policy.route.TrafficPolicy;
import dev.meshpilot.policy.route.TrafficPolicy.ConnectionPool;
import dev.meshpilot.policy.route.TrafficPolicy.ConsistentHash;
import dev.meshpilot.policy.route.TrafficPolicy.OutlierDetection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/** Parses a DestinationRule trafficPolicy (and its portLevelSettings). */
final class TrafficPolicyParser {
    private static final Set<String> BALANCERS = Set.of("UNSPECIFIED", "ROUND_ROBIN", "LEAST_CONN", "LEAST_REQUEST",
            "RANDOM", "PASSTHROUGH");

    /** A policy and its per-port overrides. */
    record Parsed(TrafficPolicy policy, Map<Integer, TrafficPolicy> ports) {
        static final Parsed NONE = new Parsed(TrafficPolicy.NONE, Map.of());

        TrafficPolicy at(int port) {
            return policy.overriddenBy(ports.get(port));
        }
    }

    private TrafficPolicyParser() {}

    static Parsed parse(Fields f, Node parent, String path) {
        MappingNode tp = f.map(parent, "trafficPolicy", path + ".trafficPolicy", false);
        if (tp == null) {
            return Parsed.NONE;
        }
        String p = path + ".trafficPolicy";
        Map<Integer, TrafficPolicy> ports = new LinkedHashMap<>();
        List<Node> items = f.list(tp, "portLevelSettings", p + ".portLevelSettings", false);
        for (int i = 0; i < items.size(); i++) {
            String pp = p + ".portLevelSettings[" + i + "]";
            MappingNode port = f.map(items.get(i), "port", pp + ".port", true);
            Integer number = port == null ? null : f.integer(port, "number", pp + ".port.number", true);
            if (number != null) {
                ports.put(number, policy(f, items.get(i), pp));
            }
        }
        return new Parsed(policy(f, tp, p), Map.copyOf(ports));
    }

    private static TrafficPolicy policy(Fields f, Node node, String p) {
        ClientTls tls = ClientTlsParser.parse(f, node, p + ".tls");
        MappingNode lb = f.map(node, "loadBalancer", p + ".loadBalancer", false);
        String simple = lb == null ? null : f.str(lb, "simple", p + ".loadBalancer.simple", false);
        if (simple != null && !BALANCERS.contains(simple)) {
            f.error("MP0103", Nodes.get(lb, "simple"), p + ".loadBalancer.simple", "simple: " + simple
                    + " (expected: one of ROUND_ROBIN, LEAST_REQUEST, LEAST_CONN, RANDOM, PASSTHROUGH)");
            simple = null;
        }
        ConsistentHash hash = lb == null ? null : consistentHash(f, lb, p + ".loadBalancer");
        if (simple != null && hash != null) {
            f.error("MP0103", lb, p + ".loadBalancer", "loadBalancer: simple and consistentHash (expected: one of them)");
        }
        return new TrafficPolicy(null, simple, pool(f, node, p), outlier(f, node, p), hash, tls);
    }

    private static @Nullable ConsistentHash consistentHash(Fields f, MappingNode lb, String p) {
        MappingNode ch = f.map(lb, "consistentHash", p + ".consistentHash", false);
        if (ch == null) {
            return null;
        }
        String cp = p + ".consistentHash";
        String header = f.str(ch, "httpHeaderName", cp + ".httpHeaderName", false);
        if (header != null) {
            return new ConsistentHash("httpHeaderName", header.toLowerCase(java.util.Locale.ROOT), null);
        }
        MappingNode cookie = f.map(ch, "httpCookie", cp + ".httpCookie", false);
        if (cookie != null) {
            String name = f.str(cookie, "name", cp + ".httpCookie.name", true);
            return name == null ? null : new ConsistentHash("httpCookie", name, f.duration(cookie, "ttl", cp + ".httpCookie.ttl"));
        }
        if (Boolean.TRUE.equals(f.bool(ch, "useSourceIp", cp + ".useSourceIp"))) {
            return new ConsistentHash("useSourceIp", null, null);
        }
        String param = f.str(ch, "httpQueryParameterName", cp + ".httpQueryParameterName", false);
        if (param != null) {
            return new ConsistentHash("httpQueryParameterName", param, null);
        }
        f.error("MP0102", ch, cp, "required field is missing: consistentHash needs one of httpHeaderName, httpCookie, "
                + "useSourceIp, httpQueryParameterName");
        return null;
    }

    private static @Nullable ConnectionPool pool(Fields f, Node node, String p) {
        MappingNode cp = f.map(node, "connectionPool", p + ".connectionPool", false);
        if (cp == null) {
            return null;
        }
        MappingNode tcp = f.map(cp, "tcp", p + ".connectionPool.tcp", false);
        MappingNode http = f.map(cp, "http", p + ".connectionPool.http", false);
        String tp = p + ".connectionPool.tcp.";
        String hp = p + ".connectionPool.http.";
        return new ConnectionPool(tcp == null ? null : f.integer(tcp, "maxConnections", tp + "maxConnections", false),
                tcp == null ? null : f.duration(tcp, "connectTimeout", tp + "connectTimeout"),
                http == null ? null : f.integer(http, "http1MaxPendingRequests", hp + "http1MaxPendingRequests", false),
                http == null ? null : f.integer(http, "http2MaxRequests", hp + "http2MaxRequests", false),
                http == null ? null : f.integer(http, "maxRequestsPerConnection", hp + "maxRequestsPerConnection", false),
                http == null ? null : f.integer(http, "maxRetries", hp + "maxRetries", false));
    }

    private static @Nullable OutlierDetection outlier(Fields f, Node node, String p) {
        MappingNode od = f.map(node, "outlierDetection", p + ".outlierDetection", false);
        if (od == null) {
            return null;
        }
        String op = p + ".outlierDetection.";
        Integer max = f.integer(od, "maxEjectionPercent", op + "maxEjectionPercent", false);
        if (max != null && (max < 0 || max > 100)) {
            f.error("MP0103", Nodes.get(od, "maxEjectionPercent"), op + "maxEjectionPercent",
                    "maxEjectionPercent: " + max + " (expected: 0..100)");
        }
        Integer errors = f.integer(od, "consecutive5xxErrors", op + "consecutive5xxErrors", false);
        if (errors == null) {
            errors = f.integer(od, "consecutiveErrors", op + "consecutiveErrors", false);
        }
        return new OutlierDetection(errors, f.integer(od, "consecutiveGatewayErrors", op + "consecutiveGatewayErrors", false),
                f.duration(od, "interval", op + "interval"), f.duration(od, "baseEjectionTime", op + "baseEjectionTime"), max);
    }
}
