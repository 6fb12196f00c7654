package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.workload.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/**
 * Converts the removed APIs of Istio 1.0–1.5 to today's: MeshPolicy/Policy become PeerAuthentication,
 * RequestAuthentication and a DENY policy for requests without a token; RbacConfig, ServiceRole and
 * ServiceRoleBinding become AuthorizationPolicies with the same meaning (deny by default where RBAC is on).
 */
public final class LegacyConverter {
    public static final String ROOT_NAMESPACE = "istio-system";

    /** One converted document and the legacy resource it came from. */
    public record Converted(Resource origin, Map<String, Object> document) {}

    private LegacyConverter() {}

    public static boolean isLegacy(Resource r) {
        return r.group().equals("authentication.istio.io") || r.group().equals("rbac.istio.io");
    }

    public static List<Converted> convert(List<Resource> resources, List<ServiceSpec> services, LegacyAuthn authn,
            Findings findings) {
        List<Converted> out = new ArrayList<>();
        Rbac rbac = Rbac.of(resources, findings);
        for (Resource r : resources) {
            if (!isLegacy(r)) {
                continue;
            }
            Fields f = new Fields(r, findings);
            findings.warn("MP0401", r, r.line(), null, r.kind() + " (" + r.apiVersion() + ") was removed from Istio; "
                    + "meshpilot applies its meaning with today's kinds (see `meshpilot convert`)");
            switch (r.kind()) {
                case "MeshPolicy", "Policy" -> policy(f, services, authn, out);
                case "RbacConfig", "ClusterRbacConfig" -> rbac.defaults(r, services, out);
                case "ServiceRoleBinding" -> rbac.binding(f, services, authn, out);
                default -> { }
            }
        }
        return out;
    }

    static String peerMode(Resource r) {
        Node peers = Nodes.get(Nodes.get(r.node(), "spec"), "peers");
        if (!(peers instanceof org.snakeyaml.engine.v2.nodes.SequenceNode s) || s.getValue().isEmpty()) {
            return "DISABLE";
        }
        for (Node p : s.getValue()) {
            Node mtls = Nodes.get(p, "mtls");
            if (mtls != null) {
                return "PERMISSIVE".equals(Nodes.text(Nodes.get(mtls, "mode"))) ? "PERMISSIVE" : "STRICT";
            }
        }
        return "DISABLE";
    }

    private static void policy(Fields f, List<ServiceSpec> services, LegacyAuthn authn, List<Converted> out) {
        Resource r = f.resource();
        boolean mesh = r.kind().equals("MeshPolicy");
        String namespace = mesh ? ROOT_NAMESPACE : r.namespace();
        String name = mesh ? "default" : r.name();
        Node spec = Nodes.get(r.node(), "spec");
        List<Map<String, String>> selectors = new ArrayList<>();
        List<Node> targets = spec == null || mesh ? List.of() : f.list(spec, "targets", "spec.targets", false);
        for (int i = 0; i < targets.size(); i++) {
            String target = f.str(targets.get(i), "name", "spec.targets[" + i + "].name", true);
            if (target != null) {
                selectors.add(selectorOf(target, r.namespace(), services, f, targets.get(i)));
            }
        }
        if (selectors.isEmpty()) {
            selectors.add(null);
        }
        List<Map<String, Object>> jwtRules = new ArrayList<>();
        List<Node> origins = spec == null ? List.of() : f.list(spec, "origins", "spec.origins", false);
        for (int i = 0; i < origins.size(); i++) {
            Node jwt = Nodes.get(origins.get(i), "jwt");
            if (jwt == null) {
                continue;
            }
            Map<String, Object> rule = new LinkedHashMap<>();
            String p = "spec.origins[" + i + "].jwt";
            rule.put("issuer", f.str(jwt, "issuer", p + ".issuer", true));
            Optional.ofNullable(f.str(jwt, "jwksUri", p + ".jwksUri", false)).ifPresent(v -> rule.put("jwksUri", v));
            Optional.ofNullable(f.str(jwt, "jwks", p + ".jwks", false)).ifPresent(v -> rule.put("jwks", v));
            List<String> aud = f.strings(jwt, "audiences", p + ".audiences");
            if (!aud.isEmpty()) {
                rule.put("audiences", aud);
            }
            List<String> headers = f.strings(jwt, "jwtHeaders", p + ".jwtHeaders");
            if (!headers.isEmpty()) {
                rule.put("fromHeaders", headers.stream().map(LegacyConverter::tokenHeader).toList());
            }
            List<String> params = f.strings(jwt, "jwtParams", p + ".jwtParams");
            if (!params.isEmpty()) {
                rule.put("fromParams", params);
            }
            // Istio 1.x kept the token in the forwarded request; today's default removes it.
            rule.put("forwardOriginalToken", true);
            jwtRules.add(rule);
        }
        LegacyAuthn.PolicyDef def = authn.policies().stream().filter(d -> d.src() == r).findFirst().orElse(null);
        Optional<List<Object>> deny = def == null || def.originIsOptional() || def.origins().isEmpty() ? Optional.empty()
                : LegacyJwtRules.denyWithoutToken(def, f);
        for (int i = 0; i < selectors.size(); i++) {
            Map<String, String> selector = selectors.get(i);
            String suffix = selectors.size() > 1 ? "-" + i : "";
            out.add(new Converted(r, peer(namespace, name + suffix, selector, peerMode(r))));
            if (!jwtRules.isEmpty()) {
                Map<String, Object> ra = doc("RequestAuthentication", namespace, name + suffix);
                Map<String, Object> raSpec = spec(ra, selector);
                raSpec.put("jwtRules", jwtRules);
                out.add(new Converted(r, ra));
                if (deny.isEmpty()) {
                    continue;
                }
                Map<String, Object> ap = doc("AuthorizationPolicy", namespace, name + suffix + "-require-jwt");
                Map<String, Object> apSpec = spec(ap, selector);
                apSpec.put("action", "DENY");
                apSpec.put("rules", deny.get());
                out.add(new Converted(r, ap));
            }
        }
    }

    /** A legacy jwtHeaders entry: the exchanged-token header {@code ingress-authorization} carried the prefix "Istio ". */
    private static Map<String, String> tokenHeader(String name) {
        return name.equalsIgnoreCase("ingress-authorization") ? Map.of("name", name, "prefix", "Istio ") : Map.of("name", name);
    }

    static Map<String, String> selectorOf(String serviceName, String namespace, List<ServiceSpec> services, Fields f,
            Node at) {
        String shortName = serviceName.split("\\.")[0];
        String ns = serviceName.contains(".") ? serviceName.split("\\.")[1] : namespace;
        for (ServiceSpec s : services) {
            if (s.name().equals(shortName) && s.namespace().equals(ns) && !s.selector().isEmpty()) {
                return s.selector();
            }
        }
        f.warn("MP0402", at, "spec", "service " + shortName + "." + ns + " is not in this configuration: "
                + "selecting its workloads by app: " + shortName);
        return Map.of("app", shortName);
    }

    static Map<String, Object> peer(String namespace, String name, @Nullable Map<String, String> selector, String mode) {
        Map<String, Object> d = doc("PeerAuthentication", namespace, name);
        spec(d, selector).put("mtls", Map.of("mode", mode));
        return d;
    }

    static Map<String, Object> doc(String kind, String namespace, String name) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("apiVersion", "security.istio.io/v1");
        d.put("kind", kind);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", name);
        meta.put("namespace", namespace);
        d.put("metadata", meta);
        return d;
    }

    static Map<String, Object> spec(Map<String, Object> doc, @Nullable Map<String, String> selector) {
        Map<String, Object> spec = new LinkedHashMap<>();
        if (selector != null) {
            spec.put("selector", Map.of("matchLabels", new LinkedHashMap<>(selector)));
        }
        doc.put("spec", spec);
        return spec;
    }

    static Map<String, String> properties(Node subject) {
        Map<String, String> out = new LinkedHashMap<>();
        Node props = Nodes.get(subject, "properties");
        if (props instanceof org.snakeyaml.engine.v2.nodes.MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                String k = Nodes.text(t.getKeyNode());
                String v = Nodes.text(t.getValueNode());
                if (k != null && v != null) {
                    out.put(k, v);
                }
            }
        }
        return out;
    }
}
