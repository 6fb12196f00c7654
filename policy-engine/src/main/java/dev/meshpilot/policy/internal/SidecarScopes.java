package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.route.EgressDecision;
import dev.meshpilot.policy.route.ProxyRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Sidecar resources: which hosts a sidecar's egress may reach ({@code egress[].hosts} as {@code ns/host},
 * {@code ./host}, {@code * /host}, {@code ~/*} for none) and its {@code outboundTrafficPolicy.mode}. The Sidecar that
 * applies is the one selecting the workload in its namespace, else the namespace's default (no selector), else the
 * root namespace's default; the chosen one applies whole (no egress: every host, no mode: the mesh's ALLOW_ANY).
 * Without one, every host is visible and unknown hosts pass through.
 */
final class SidecarScopes {
    record Scope(Resource src, @Nullable Map<String, String> selector, List<String> hosts, @Nullable String mode) {}

    private static final List<String> ALL_HOSTS = List.of("*/*");

    private final List<Scope> scopes;
    private final Map<String, String> serviceEntryNamespaces;

    private SidecarScopes(List<Scope> scopes, Map<String, String> serviceEntryNamespaces) {
        this.scopes = List.copyOf(scopes);
        this.serviceEntryNamespaces = Map.copyOf(serviceEntryNamespaces);
    }

    static SidecarScopes of(MeshModel model, Findings findings) {
        List<Scope> scopes = new ArrayList<>();
        for (Resource r : model.resources()) {
            if (!r.kind().equals("Sidecar") || !r.group().equals("networking.istio.io")) {
                continue;
            }
            Fields f = new Fields(r, findings);
            MappingNode spec = f.map(r.node(), "spec", "spec", false);
            if (spec == null) {
                continue;
            }
            MappingNode ws = f.map(spec, "workloadSelector", "spec.workloadSelector", false);
            List<String> hosts = new ArrayList<>();
            List<Node> egress = f.list(spec, "egress", "spec.egress", false);
            for (int i = 0; i < egress.size(); i++) {
                String path = "spec.egress[" + i + "].hosts";
                for (String h : f.strings(egress.get(i), "hosts", path)) {
                    if (!h.contains("/")) {
                        f.error("MP0103", egress.get(i), path, "host: " + h + " (expected: namespace/host such as ./* or istio-system/*)");
                    } else {
                        hosts.add(h.toLowerCase(Locale.ROOT));
                    }
                }
            }
            String mode = null;
            MappingNode otp = f.map(spec, "outboundTrafficPolicy", "spec.outboundTrafficPolicy", false);
            if (otp != null) {
                mode = f.str(otp, "mode", "spec.outboundTrafficPolicy.mode", false);
                if (mode != null && !mode.equals(EgressDecision.ALLOW_ANY) && !mode.equals(EgressDecision.REGISTRY_ONLY)) {
                    f.error("MP0103", otp, "spec.outboundTrafficPolicy.mode",
                            "mode: " + mode + " (expected: ALLOW_ANY or REGISTRY_ONLY)");
                    mode = null;
                }
            }
            Map<String, String> selector = ws == null ? null : f.stringMap(ws, "labels", "spec.workloadSelector.labels");
            scopes.add(new Scope(r, selector, egress.isEmpty() ? ALL_HOSTS : hosts, mode));
        }
        Map<String, String> seNs = new HashMap<>();
        model.serviceEntries().forEach(se -> se.hosts().forEach(h -> seNs.putIfAbsent(h, se.src().namespace())));
        return new SidecarScopes(scopes, seNs);
    }

    boolean visible(ProxyRef proxy, String fqdn) {
        Scope scope = scopeOf(proxy.namespace(), proxy.labels());
        return scope == null || imports(scope, proxy.namespace(), fqdn);
    }

    /** The egress decision for a call from a workload to {@code fqdn}; {@code inRegistry} as the caller resolved it. */
    EgressDecision egress(String namespace, Map<String, String> labels, String fqdn, boolean inRegistry) {
        Scope scope = scopeOf(namespace, labels);
        String mode = scope == null || scope.mode() == null ? EgressDecision.ALLOW_ANY : scope.mode();
        String sidecar = scope == null ? null : scope.src().key();
        String by = sidecar == null ? "mesh default" : "Sidecar " + sidecar;
        boolean registryOnly = mode.equals(EgressDecision.REGISTRY_ONLY);
        if (inRegistry && (scope == null || imports(scope, namespace, fqdn))) {
            return new EgressDecision(true, mode, fqdn, true, sidecar, mode + ": " + fqdn + " is in the service registry (" + by + ")");
        }
        String why = inRegistry ? " is not imported by the egress hosts" : " is not in the service registry";
        return new EgressDecision(!registryOnly, mode, fqdn, inRegistry, sidecar,
                mode + ": " + fqdn + why + " (" + by + ")" + (registryOnly ? "" : "; passed through"));
    }

    private boolean imports(Scope scope, String proxyNamespace, String fqdn) {
        String hostNs = namespaceOf(fqdn);
        for (String h : scope.hosts()) {
            int slash = h.indexOf('/');
            String ns = h.substring(0, slash);
            String host = h.substring(slash + 1);
            boolean nsOk = ns.equals("*") || (ns.equals(".") ? proxyNamespace.equals(hostNs) : ns.equals(hostNs));
            if (!ns.equals("~") && nsOk && Hosts.matches(host, fqdn)) {
                return true;
            }
        }
        return false;
    }

    private @Nullable Scope scopeOf(String namespace, Map<String, String> labels) {
        for (Scope s : scopes) {
            if (s.src().namespace().equals(namespace) && s.selector() != null && Authorizer.selects(s.selector(), labels)) {
                return s;
            }
        }
        for (String ns : new String[] {namespace, LegacyConverter.ROOT_NAMESPACE}) {
            for (Scope s : scopes) {
                if (s.src().namespace().equals(ns) && s.selector() == null) {
                    return s;
                }
            }
        }
        return null;
    }

    private @Nullable String namespaceOf(String fqdn) {
        String se = serviceEntryNamespaces.get(fqdn);
        if (se != null) {
            return se;
        }
        if (fqdn.endsWith(Hosts.CLUSTER_SUFFIX)) {
            String[] parts = fqdn.split("\\.");
            return parts.length > 1 ? parts[1] : null;
        }
        return null;
    }
}
