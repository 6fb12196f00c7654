package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.LegacyConverter.Converted;
import dev.meshpilot.policy.workload.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The legacy RBAC of Istio 1.0–1.5: where it is on (RbacConfig modes), and ServiceRole + ServiceRoleBinding
 * pairs turned into ALLOW AuthorizationPolicies.
 */
final class Rbac {
    private final String mode;
    private final List<String> namespaces;
    private final List<String> services;
    private final Map<String, Resource> roles;

    private Rbac(String mode, List<String> namespaces, List<String> services, Map<String, Resource> roles) {
        this.mode = mode;
        this.namespaces = namespaces;
        this.services = services;
        this.roles = roles;
    }

    static Rbac of(List<Resource> resources, Findings findings) {
        String mode = "OFF";
        List<String> namespaces = List.of();
        List<String> services = List.of();
        Map<String, Resource> roles = new LinkedHashMap<>();
        for (Resource r : resources) {
            if (r.kind().equals("ServiceRole")) {
                roles.put(r.key(), r);
            }
            if (r.kind().equals("RbacConfig") || r.kind().equals("ClusterRbacConfig")) {
                Fields f = new Fields(r, findings);
                Node spec = Nodes.get(r.node(), "spec");
                String m = spec == null ? null : f.str(spec, "mode", "spec.mode", false);
                mode = m == null ? "OFF" : m;
                Node scope = Nodes.get(spec, mode.equals("ON_WITH_EXCLUSION") ? "exclusion" : "inclusion");
                if (scope != null) {
                    namespaces = f.strings(scope, "namespaces", "spec.inclusion.namespaces");
                    services = f.strings(scope, "services", "spec.inclusion.services");
                }
            }
        }
        return new Rbac(mode, namespaces, services, roles);
    }

    /** Whether RBAC is on for a namespace (any of its services, for inclusion by service). */
    boolean enabled(String namespace) {
        return switch (mode) {
            case "ON" -> true;
            case "ON_WITH_INCLUSION" -> namespaces.contains(namespace)
                    || services.stream().anyMatch(s -> s.contains("." + namespace + "."));
            case "ON_WITH_EXCLUSION" -> !namespaces.contains(namespace);
            default -> false;
        };
    }

    /** The deny-by-default policies that RbacConfig implies: an ALLOW policy without rules denies everything. */
    void defaults(Resource r, List<ServiceSpec> known, List<Converted> out) {
        switch (mode) {
            case "ON" -> out.add(new Converted(r, denyAll(LegacyConverter.ROOT_NAMESPACE, "rbac-deny-by-default", null)));
            case "ON_WITH_INCLUSION" -> {
                namespaces.forEach(ns -> out.add(new Converted(r, denyAll(ns, "rbac-deny-by-default", null))));
                for (String s : services) {
                    String[] parts = s.split("\\.");
                    String ns = parts.length > 1 ? parts[1] : "default";
                    Map<String, String> sel = known.stream().filter(k -> k.name().equals(parts[0]) && k.namespace().equals(ns))
                            .findFirst().map(ServiceSpec::selector).orElse(Map.of("app", parts[0]));
                    out.add(new Converted(r, denyAll(ns, "rbac-deny-by-default-" + parts[0], sel)));
                }
            }
            case "ON_WITH_EXCLUSION" -> {
                out.add(new Converted(r, denyAll(LegacyConverter.ROOT_NAMESPACE, "rbac-deny-by-default", null)));
                for (String ns : namespaces) {
                    Map<String, Object> allow = LegacyConverter.doc("AuthorizationPolicy", ns, "rbac-excluded");
                    LegacyConverter.spec(allow, null).put("rules", List.of(Map.of()));
                    out.add(new Converted(r, allow));
                }
            }
            default -> { }
        }
    }

    private static Map<String, Object> denyAll(String namespace, String name, @Nullable Map<String, String> selector) {
        Map<String, Object> d = LegacyConverter.doc("AuthorizationPolicy", namespace, name);
        LegacyConverter.spec(d, selector);
        return d;
    }

    void binding(Fields f, List<ServiceSpec> known, LegacyAuthn authn, List<Converted> out) {
        Resource r = f.resource();
        Node spec = Nodes.get(r.node(), "spec");
        Node roleRef = spec == null ? null : f.map(spec, "roleRef", "spec.roleRef", true);
        String roleName = roleRef == null ? null : f.str(roleRef, "name", "spec.roleRef.name", true);
        if (roleName == null) {
            return;
        }
        Resource role = roles.get(r.namespace() + "/" + roleName);
        if (role == null) {
            f.error("MP0403", roleRef, "spec.roleRef.name", "ServiceRole " + r.namespace() + "/" + roleName
                    + " does not exist");
            return;
        }
        if (!enabled(r.namespace())) {
            f.warn("MP0404", r.node(), "metadata.namespace", "RBAC is not on for namespace " + r.namespace()
                    + " (RbacConfig): this binding has no effect and is not converted");
            return;
        }
        List<Node> subjects = f.list(spec, "subjects", "spec.subjects", true);
        List<Object> when = new ArrayList<>();
        List<Object> peerSources = sources(subjects, false, when);
        List<Object> originSources = sources(subjects, true, new ArrayList<>());
        Fields rf = new Fields(role, new Findings());
        Node roleSpec = Nodes.get(role.node(), "spec");
        Map<String, List<Object>> rulesByService = new LinkedHashMap<>();
        Map<String, List<Object>> originRulesByService = new LinkedHashMap<>();
        List<Node> roleRules = roleSpec == null ? List.of() : rf.list(roleSpec, "rules", "spec.rules", false);
        for (Node rule : roleRules) {
            Map<String, Object> operation = new LinkedHashMap<>();
            List<String> methods = rf.strings(rule, "methods", "methods").stream().filter(m -> !m.equals("*")).toList();
            List<String> paths = rf.strings(rule, "paths", "paths").stream().filter(m -> !m.equals("*")).toList();
            if (!methods.isEmpty()) {
                operation.put("methods", methods);
            }
            if (!paths.isEmpty()) {
                operation.put("paths", paths);
            }
            for (String service : rf.strings(rule, "services", "services")) {
                rulesByService.computeIfAbsent(service, k -> new ArrayList<>()).add(rule(peerSources, operation, when));
                originRulesByService.computeIfAbsent(service, k -> new ArrayList<>())
                        .add(rule(originSources, operation, when));
            }
        }
        for (Map.Entry<String, List<Object>> e : rulesByService.entrySet()) {
            String service = e.getKey();
            boolean all = service.equals("*");
            String shortName = all ? "" : service.split("\\.")[0].replace("*", "");
            String name = r.name() + (rulesByService.size() > 1 ? "-" + (all ? "all" : shortName) : "");
            Map<String, Object> ap = LegacyConverter.doc("AuthorizationPolicy", r.namespace(), name);
            Map<String, String> selector = all ? null : LegacyConverter.selectorOf(service, r.namespace(), known, f, r.node());
            Map<String, Object> apSpec = LegacyConverter.spec(ap, selector);
            apSpec.put("action", "ALLOW");
            boolean useOrigin = selector != null && authn.applying(r.namespace(), selector)
                    .map(LegacyAuthn.PolicyDef::useOrigin).orElse(false);
            apSpec.put("rules", useOrigin ? originRulesByService.get(service) : e.getValue());
            out.add(new Converted(r, ap));
        }
    }

    private static Map<String, Object> rule(List<Object> sources, Map<String, Object> operation, List<Object> when) {
        Map<String, Object> converted = new LinkedHashMap<>();
        boolean anySource = sources.stream().anyMatch(s -> ((Map<?, ?>) s).isEmpty());
        if (!anySource) {
            converted.put("from", sources);
        }
        if (!operation.isEmpty()) {
            converted.put("to", List.of(Map.of("operation", operation)));
        }
        if (!when.isEmpty()) {
            converted.put("when", when);
        }
        return converted;
    }

    /**
     * The subjects as sources. {@code request.auth.principal} is the principal of the target's authentication
     * Policy: the token's {@code iss/sub} under {@code principalBinding: USE_ORIGIN}, the mTLS peer's under USE_PEER
     * (Istio 1.x's default); {@code user} is always the peer.
     */
    private static List<Object> sources(List<Node> subjects, boolean useOrigin, List<Object> when) {
        List<Object> sources = new ArrayList<>();
        for (Node subject : subjects) {
            Map<String, Object> source = new LinkedHashMap<>();
            String user = Nodes.text(Nodes.get(subject, "user"));
            if (user != null && !user.equals("*")) {
                source.put("principals", List.of(user));
            }
            LegacyConverter.properties(subject).forEach((k, v) -> {
                switch (k) {
                    case "source.namespace" -> source.put("namespaces", List.of(v));
                    case "source.principal" -> source.put("principals", List.of(v));
                    case "source.ip" -> source.put("ipBlocks", List.of(v));
                    case "request.auth.principal" -> source.put(useOrigin ? "requestPrincipals" : "principals", List.of(v));
                    default -> when.add(Map.of("key", k, "values", List.of(v)));
                }
            });
            sources.add(source.isEmpty() ? Map.of() : Map.of("source", source));
        }
        return sources;
    }
}
