package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Net.HttpRule;
import dev.meshpilot.policy.internal.Net.L4Rule;
import dev.meshpilot.policy.internal.Net.VirtualServiceDef;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.RouteDecision;
import dev.meshpilot.policy.workload.ServiceSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The routes sidecars see: VirtualServices bound to {@code mesh}, by host, with their exportTo. As in Istio, a
 * VirtualService takes part only in the protocols it has routes for: one with only {@code tls}/{@code tcp} routes does
 * not hide the default HTTP route of its hosts, one with only {@code http} routes does not hide their TLS/TCP default.
 */
final class MeshRoutes {
    record Match(VirtualServiceDef virtualService, HttpRule rule, RouteDecision decision) {}

    private final HostTable<VirtualServiceDef> httpHosts;
    private final HostTable<VirtualServiceDef> l4Hosts;
    private final Set<String> knownHosts;
    private final Set<String> namespaces;
    private final Set<String> services;
    private final Map<String, ServiceSpec> serviceHosts;
    private final Map<String, List<Net.ServiceEntryDef>> serviceEntries;

    MeshRoutes(MeshModel model) {
        HostTable.Builder<VirtualServiceDef> http = HostTable.builder();
        HostTable.Builder<VirtualServiceDef> l4 = HostTable.builder();
        for (VirtualServiceDef vs : model.virtualServices()) {
            if (vs.mesh() && !vs.http().isEmpty()) {
                vs.hosts().forEach(h -> http.add(h, vs));
            }
            if (vs.mesh() && (!vs.tls().isEmpty() || !vs.tcp().isEmpty())) {
                vs.hosts().forEach(h -> l4.add(h, vs));
            }
        }
        this.httpHosts = http.build();
        this.l4Hosts = l4.build();
        Set<String> known = new HashSet<>();
        model.services().stream().map(ServiceSpec::fqdn).forEach(known::add);
        model.serviceEntries().forEach(se -> known.addAll(se.hosts()));
        this.knownHosts = Set.copyOf(known);
        Map<String, ServiceSpec> services = new java.util.HashMap<>();
        model.services().forEach(s -> services.putIfAbsent(s.fqdn(), s));
        this.serviceHosts = Map.copyOf(services);
        Map<String, List<Net.ServiceEntryDef>> byHost = new HashMap<>();
        model.serviceEntries().forEach(se -> se.hosts().forEach(h -> byHost.computeIfAbsent(h, k -> new ArrayList<>()).add(se)));
        byHost.replaceAll((h, list) -> List.copyOf(list));
        this.serviceEntries = Map.copyOf(byHost);
        this.namespaces = Set.copyOf(model.namespaces().keySet());
        this.services = Set.copyOf(model.services().stream().map(s -> s.name() + "." + s.namespace()).toList());
    }

    /** The FQDN a workload in {@code namespace} reaches with this authority (Kubernetes DNS search rules). */
    String resolve(String authority, String namespace) {
        String h = Hosts.hostOf(authority);
        if (knownHosts.contains(h) || h.isEmpty()) {
            return h;
        }
        int dots = (int) h.chars().filter(c -> c == '.').count();
        if (dots == 0) {
            return h + "." + namespace + Hosts.CLUSTER_SUFFIX;
        }
        if (dots == 1 && (services.contains(h) || namespaces.contains(h.substring(h.indexOf('.') + 1)))) {
            return h + Hosts.CLUSTER_SUFFIX;
        }
        if (h.endsWith(".svc")) {
            return h + ".cluster.local";
        }
        return h;
    }

    boolean known(String fqdn) {
        return knownHosts.contains(fqdn);
    }

    /** A Service or ServiceEntry host exported to {@code namespace}. */
    boolean known(String fqdn, String namespace) {
        ServiceSpec service = serviceHosts.get(fqdn);
        if (service != null) {
            return service.visibleTo(namespace);
        }
        for (Net.ServiceEntryDef se : serviceEntries.getOrDefault(fqdn, List.of())) {
            if (ExportTo.visible(se.exportTo(), se.src().namespace(), namespace)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first matching rule; {@code hostBound} is set when some visible VirtualService with {@code http} routes owns
     * the host (its rules then decide alone: no match is no route).
     */
    @Nullable Match route(ProxyRef proxy, RequestAttributes request, String fqdn, boolean[] hostBound) {
        HostTable.Hit<VirtualServiceDef> hit = httpHosts.lookup(fqdn);
        if (hit == null) {
            return null;
        }
        List<VirtualServiceDef> visible = new ArrayList<>(hit.values().size());
        for (VirtualServiceDef vs : hit.values()) {
            if (vs.src().namespace().equals(proxy.namespace()) && exported(vs, proxy.namespace())) {
                visible.add(vs);
            }
        }
        for (VirtualServiceDef vs : hit.values()) {
            if (!vs.src().namespace().equals(proxy.namespace()) && exported(vs, proxy.namespace())) {
                visible.add(vs);
            }
        }
        if (visible.isEmpty()) {
            return null;
        }
        hostBound[0] = true;
        RequestMatcher matcher = new RequestMatcher(request, proxy, null);
        for (VirtualServiceDef vs : visible) {
            for (HttpRule rule : vs.http()) {
                RouteDecision decision = matcher.decide(rule);
                if (decision != null) {
                    return new Match(vs, rule, decision);
                }
            }
        }
        return null;
    }

    /** The first tls (by SNI and port) or tcp (by port) rule of the visible VirtualServices for the host. */
    @Nullable L4Rule routeL4(ProxyRef proxy, String fqdn, int port, @Nullable String sni) {
        HostTable.Hit<VirtualServiceDef> hit = l4Hosts.lookup(fqdn);
        if (hit == null) {
            return null;
        }
        for (VirtualServiceDef vs : hit.values()) {
            if (!exported(vs, proxy.namespace())) {
                continue;
            }
            for (L4Rule rule : sni == null ? vs.tcp() : vs.tls()) {
                if (rule.matches(port, sni)) {
                    return rule;
                }
            }
        }
        return null;
    }

    static boolean exported(VirtualServiceDef vs, String namespace) {
        return ExportTo.visible(vs.exportTo(), vs.src().namespace(), namespace);
    }
}
