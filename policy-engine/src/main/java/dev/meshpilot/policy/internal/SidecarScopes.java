package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.route.ProxyRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Sidecar resources: which hosts a sidecar's egress may reach ({@code egress[].hosts} as {@code ns/host},
 * {@code ./host}, {@code * /host}). The Sidecar that applies is the one selecting the workload in its namespace,
 * else the namespace's default (no selector), else the root namespace's default. Without one, every host is visible.
 */
final class SidecarScopes {
    record Scope(Resource src, @Nullable Map<String, String> selector, List<String> hosts) {}

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
                        hosts.add(h.toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
            if (!egress.isEmpty()) {
                scopes.add(new Scope(r, ws == null ? null : f.stringMap(ws, "labels", "spec.workloadSelector.labels"), hosts));
            }
        }
        Map<String, String> seNs = new HashMap<>();
        model.serviceEntries().forEach(se -> se.hosts().forEach(h -> seNs.putIfAbsent(h, se.src().namespace())));
        return new SidecarScopes(scopes, seNs);
    }

    boolean visible(ProxyRef proxy, String fqdn) {
        Scope scope = scopeOf(proxy);
        if (scope == null) {
            return true;
        }
        String hostNs = namespaceOf(fqdn);
        for (String h : scope.hosts()) {
            int slash = h.indexOf('/');
            String ns = h.substring(0, slash);
            String host = h.substring(slash + 1);
            boolean nsOk = ns.equals("*") || (ns.equals(".") ? proxy.namespace().equals(hostNs) : ns.equals(hostNs));
            if (!ns.equals("~") && nsOk && Hosts.matches(host, fqdn)) {
                return true;
            }
        }
        return false;
    }

    private @Nullable Scope scopeOf(ProxyRef proxy) {
        for (Scope s : scopes) {
            if (s.src().namespace().equals(proxy.namespace()) && s.selector() != null
                    && Authorizer.selects(s.selector(), proxy.labels())) {
                return s;
            }
        }
        for (String ns : new String[] {proxy.namespace(), LegacyConverter.ROOT_NAMESPACE}) {
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
