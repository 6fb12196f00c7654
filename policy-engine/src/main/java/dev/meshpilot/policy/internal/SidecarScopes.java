package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.route.EgressDecision;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.SidecarConfig;
import dev.meshpilot.policy.route.SidecarConfig.EgressListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Sidecar resources: which hosts a sidecar's egress may reach, per port ({@code egress[].hosts} as {@code ns/host},
 * {@code ./host}, {@code * /host}, {@code ~/*} for none; the listener for the port, else the one without a port) and
 * its {@code outboundTrafficPolicy.mode}. The Sidecar that applies is the one selecting the workload in its namespace,
 * else the namespace's default (no selector), else the root namespace's default; the chosen one applies whole (no
 * egress: every host, no mode: the mesh config's outboundTrafficPolicy, else ALLOW_ANY). Without one, every host is visible and unknown hosts pass
 * through.
 */
final class SidecarScopes {
    private final List<SidecarParser.Parsed> scopes;
    private final Map<String, String> serviceEntryNamespaces;
    private final @Nullable String meshMode;

    private SidecarScopes(List<SidecarParser.Parsed> scopes, Map<String, String> serviceEntryNamespaces,
            @Nullable String meshMode) {
        this.scopes = List.copyOf(scopes);
        this.serviceEntryNamespaces = Map.copyOf(serviceEntryNamespaces);
        this.meshMode = meshMode;
    }

    static SidecarScopes of(MeshModel model, Findings findings) {
        List<SidecarParser.Parsed> scopes = new ArrayList<>();
        for (Resource r : model.resources()) {
            if (r.kind().equals("Sidecar") && r.group().equals("networking.istio.io")) {
                SidecarParser.Parsed parsed = SidecarParser.parse(new Fields(r, findings));
                if (parsed != null) {
                    scopes.add(parsed);
                }
            }
        }
        Map<String, String> seNs = new HashMap<>();
        model.serviceEntries().forEach(se -> se.hosts().forEach(h -> seNs.putIfAbsent(h, se.src().namespace())));
        return new SidecarScopes(scopes, seNs, model.meshConfig().outboundTrafficPolicy());
    }

    /** The Sidecar configuration that applies to a workload, if any. */
    Optional<SidecarConfig> config(String namespace, Map<String, String> labels) {
        SidecarParser.Parsed scope = scopeOf(namespace, labels);
        return scope == null ? Optional.empty() : Optional.of(scope.config());
    }

    boolean visible(ProxyRef proxy, String fqdn, int port) {
        SidecarParser.Parsed scope = scopeOf(proxy.namespace(), proxy.labels());
        return scope == null || imports(scope, proxy.namespace(), fqdn, port);
    }

    /** The egress decision for a call from a workload to {@code fqdn}; {@code inRegistry} as the caller resolved it. */
    EgressDecision egress(String namespace, Map<String, String> labels, String fqdn, int port, boolean inRegistry) {
        SidecarParser.Parsed scope = scopeOf(namespace, labels);
        String fallback = meshMode == null ? EgressDecision.ALLOW_ANY : meshMode;
        String mode = scope == null || scope.config().outboundTrafficPolicy() == null ? fallback
                : scope.config().outboundTrafficPolicy();
        String sidecar = scope == null ? null : scope.src().key();
        String by = sidecar != null ? "Sidecar " + sidecar
                : meshMode == null ? "mesh default" : "mesh config ConfigMap istio-system/istio";
        boolean registryOnly = mode.equals(EgressDecision.REGISTRY_ONLY);
        if (inRegistry && (scope == null || imports(scope, namespace, fqdn, port))) {
            return new EgressDecision(true, mode, fqdn, true, sidecar, mode + ": " + fqdn + " is in the service registry (" + by + ")");
        }
        String why = !inRegistry ? " is not in the service registry" : scope != null && scope.config().egressFor(port).isEmpty()
                ? " has no egress listener for port " + port : " is not imported by the egress hosts";
        return new EgressDecision(!registryOnly, mode, fqdn, inRegistry, sidecar,
                mode + ": " + fqdn + why + " (" + by + ")" + (registryOnly ? "" : "; passed through"));
    }

    private boolean imports(SidecarParser.Parsed scope, String proxyNamespace, String fqdn, int port) {
        if (scope.config().egress().isEmpty()) {
            return true;
        }
        EgressListener listener = scope.config().egressFor(port).orElse(null);
        if (listener == null) {
            return false;
        }
        String hostNs = namespaceOf(fqdn);
        for (String h : listener.hosts()) {
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

    private SidecarParser.@Nullable Parsed scopeOf(String namespace, Map<String, String> labels) {
        for (SidecarParser.Parsed s : scopes) {
            if (s.src().namespace().equals(namespace) && s.selector() != null && Authorizer.selects(s.selector(), labels)) {
                return s;
            }
        }
        for (String ns : new String[] {namespace, LegacyConverter.ROOT_NAMESPACE}) {
            for (SidecarParser.Parsed s : scopes) {
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
