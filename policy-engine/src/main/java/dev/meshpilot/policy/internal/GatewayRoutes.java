package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Net.GatewayDef;
import dev.meshpilot.policy.internal.Net.HttpRule;
import dev.meshpilot.policy.internal.Net.ServerDef;
import dev.meshpilot.policy.internal.Net.VirtualServiceDef;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.RouteDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The routes of the ingress gateways: for each Gateway, its servers and a host table of the
 * VirtualServices bound to it.
 */
final class GatewayRoutes {
    /** A matched rule with the gateway it was matched on. */
    record Match(GatewayDef gateway, VirtualServiceDef virtualService, HttpRule rule, RouteDecision decision) {}

    /** {@code httpHosts} holds only VirtualServices with http routes (a tls/tcp-only one never hides an HTTP host). */
    private record Bound(GatewayDef gateway, HostTable<VirtualServiceDef> hosts, HostTable<VirtualServiceDef> httpHosts,
            List<VirtualServiceDef> all) {}

    private final List<Bound> gateways;

    GatewayRoutes(MeshModel model) {
        List<Bound> out = new ArrayList<>();
        for (GatewayDef gw : model.gateways()) {
            HostTable.Builder<VirtualServiceDef> table = HostTable.builder();
            HostTable.Builder<VirtualServiceDef> http = HostTable.builder();
            List<VirtualServiceDef> all = new ArrayList<>();
            for (VirtualServiceDef vs : model.virtualServices()) {
                if (vs.gateways().contains(gw.src().key())) {
                    vs.hosts().forEach(h -> table.add(h, vs));
                    if (!vs.http().isEmpty()) {
                        vs.hosts().forEach(h -> http.add(h, vs));
                    }
                    all.add(vs);
                }
            }
            out.add(new Bound(gw, table.build(), http.build(), List.copyOf(all)));
        }
        this.gateways = List.copyOf(out);
    }

    @Nullable Match route(ProxyRef proxy, RequestAttributes request) {
        String host = Hosts.hostOf(request.authority());
        Bound best = null;
        HostTable.Hit<VirtualServiceDef> bestHit = null;
        for (Bound b : gateways) {
            if (!selects(b.gateway().selector(), proxy.labels()) || !serves(b.gateway(), request.port(), host)) {
                continue;
            }
            HostTable.Hit<VirtualServiceDef> hit = b.httpHosts().lookup(host);
            if (hit != null && (bestHit == null || hit.specificity() > bestHit.specificity())
                    && anyExported(hit.values(), proxy.namespace())) {
                best = b;
                bestHit = hit;
            }
        }
        if (best == null) {
            return null;
        }
        RequestMatcher matcher = new RequestMatcher(request, proxy, best.gateway().src().key());
        for (VirtualServiceDef vs : bestHit.values()) {
            if (!MeshRoutes.exported(vs, proxy.namespace())
                    || !admits(best.gateway(), request.port(), host, vs.src().namespace())) {
                continue;
            }
            for (HttpRule rule : vs.http()) {
                RouteDecision decision = matcher.decide(rule);
                if (decision != null) {
                    return new Match(best.gateway(), vs, rule, decision);
                }
            }
        }
        return null;
    }

    /** A tls (SNI) or tcp connection on a gateway: the bound VirtualServices' tls/tcp rules. */
    Net.@Nullable L4Rule routeL4(ProxyRef proxy, int port, @Nullable String sni) {
        String host = sni == null ? "*" : sni.toLowerCase(java.util.Locale.ROOT);
        for (Bound b : gateways) {
            if (!selects(b.gateway().selector(), proxy.labels()) || (sni != null && !serves(b.gateway(), port, host))) {
                continue;
            }
            HostTable.Hit<VirtualServiceDef> hit = sni == null ? null : b.hosts().lookup(host);
            List<VirtualServiceDef> candidates = hit != null ? hit.values() : b.all();
            for (VirtualServiceDef vs : candidates) {
                if (!MeshRoutes.exported(vs, proxy.namespace())) {
                    continue;
                }
                for (Net.L4Rule rule : sni == null ? vs.tcp() : vs.tls()) {
                    if (rule.matches(port, sni)) {
                        return rule;
                    }
                }
            }
        }
        return null;
    }

    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean serves(GatewayDef gw, int port, String host) {
        for (ServerDef s : gw.servers()) {
            if (port != 0 && s.port() != port) {
                continue;
            }
            for (String h : s.hosts()) {
                if (Hosts.matches(ReferenceChecks.hostPart(h), host)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a server that accepts this host lets a VirtualService of {@code vsNamespace} bind ({@code ns/host}). */
    private static boolean admits(GatewayDef gw, int port, String host, String vsNamespace) {
        for (ServerDef s : gw.servers()) {
            if (port != 0 && s.port() != port) {
                continue;
            }
            for (String h : s.hosts()) {
                int slash = h.indexOf('/');
                String ns = slash < 0 ? "*" : h.substring(0, slash);
                if (!Hosts.matches(ReferenceChecks.hostPart(h), host)) {
                    continue;
                }
                if (ns.equals("*") || ns.equals(vsNamespace) || (ns.equals(".") && gw.src().namespace().equals(vsNamespace))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean anyExported(List<VirtualServiceDef> virtualServices, String namespace) {
        for (VirtualServiceDef vs : virtualServices) {
            if (MeshRoutes.exported(vs, namespace)) {
                return true;
            }
        }
        return false;
    }
}
