package dev.meshpilot.policy.internal;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.internal.Net.DestinationRuleDef;
import dev.meshpilot.policy.internal.Net.SubsetDef;
import dev.meshpilot.policy.route.EgressDecision;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.ResolvedDestination;
import dev.meshpilot.policy.route.RouteDecision;
import dev.meshpilot.policy.route.TrafficPolicy;
import dev.meshpilot.policy.route.WeightedDestination;
import dev.meshpilot.policy.security.AuthorizationDecision;
import dev.meshpilot.policy.security.AuthzRequest;
import dev.meshpilot.policy.security.JwtRule;
import dev.meshpilot.policy.security.MtlsMode;
import dev.meshpilot.policy.workload.ServiceSpec;
import dev.meshpilot.policy.workload.ServiceSpec.ServicePort;
import dev.meshpilot.policy.workload.WorkloadSpec;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The immutable, precompiled {@link MeshSnapshot}: route tables built once, decisions prebuilt per rule. */
public final class CompiledSnapshot implements MeshSnapshot {
    private final String version;
    private final MeshModel model;
    private final GatewayRoutes gatewayRoutes;
    private final MeshRoutes meshRoutes;
    private final Map<String, ServiceSpec> servicesByHost;
    private final HostTable<DestinationRuleDef> destinationRules;
    private final Authorizer authorizer;
    private final MtlsPolicies mtls;
    private final SidecarScopes sidecars;
    private final DestinationRuleScopes ruleScopes;

    public CompiledSnapshot(String version, MeshModel model) {
        this.version = requireNonNull(version, "version");
        this.model = requireNonNull(model, "model");
        this.gatewayRoutes = new GatewayRoutes(model);
        this.meshRoutes = new MeshRoutes(model);
        Map<String, ServiceSpec> byHost = new HashMap<>();
        model.services().forEach(s -> byHost.putIfAbsent(s.fqdn(), s));
        this.servicesByHost = Map.copyOf(byHost);
        HostTable.Builder<DestinationRuleDef> drs = HostTable.builder();
        model.destinationRules().forEach(dr -> drs.add(dr.host(), dr));
        this.destinationRules = drs.build();
        this.ruleScopes = new DestinationRuleScopes(model);
        this.authorizer = new Authorizer(model.authorizationPolicies());
        this.mtls = new MtlsPolicies(model.peerAuthentications());
        this.sidecars = SidecarScopes.of(model, new Findings());
    }

    @Override
    public AuthorizationDecision authorize(String namespace, Map<String, String> workloadLabels, AuthzRequest request) {
        requireNonNull(namespace, "namespace");
        requireNonNull(workloadLabels, "workloadLabels");
        requireNonNull(request, "request");
        return authorizer.authorize(namespace, workloadLabels, request);
    }

    @Override
    public List<JwtRule> jwtRules(String namespace, Map<String, String> workloadLabels) {
        requireNonNull(namespace, "namespace");
        requireNonNull(workloadLabels, "workloadLabels");
        List<JwtRule> out = new java.util.ArrayList<>();
        for (Sec.RequestAuthenticationDef ra : model.requestAuthentications()) {
            String ns = ra.src().namespace();
            boolean scope = ns.equals(namespace) || ns.equals(LegacyConverter.ROOT_NAMESPACE);
            if (scope && (ra.selector() == null || Authorizer.selects(ra.selector(), workloadLabels))) {
                ra.rules().forEach(r -> out.add(new JwtRule(ra.src().key(), r.issuer(), r.jwksUri(), r.audiences(),
                        r.fromHeaders(), r.fromParams())));
            }
        }
        return List.copyOf(out);
    }

    @Override
    public MtlsMode mtlsMode(String namespace, Map<String, String> workloadLabels, int port) {
        requireNonNull(namespace, "namespace");
        requireNonNull(workloadLabels, "workloadLabels");
        return mtls.mode(namespace, workloadLabels, port);
    }

    /** The parsed model behind this snapshot (for the analyzers, the diff and the CLI). */
    public MeshModel model() {
        return model;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public List<WorkloadSpec> workloads() {
        return model.workloads();
    }

    @Override
    public List<ServiceSpec> services() {
        return model.services();
    }

    @Override
    public RouteDecision route(ProxyRef proxy, RequestAttributes request) {
        requireNonNull(proxy, "proxy");
        requireNonNull(request, "request");
        if (proxy.kind() == ProxyRef.Kind.GATEWAY) {
            GatewayRoutes.Match m = gatewayRoutes.route(proxy, request);
            return m == null ? RouteDecision.none() : m.rule().decision();
        }
        String fqdn = meshRoutes.resolve(request.authority(), proxy.namespace());
        if (!sidecars.visible(proxy, fqdn)) {
            return RouteDecision.none();
        }
        boolean[] bound = {false};
        MeshRoutes.Match m = meshRoutes.route(proxy, request, fqdn, bound);
        if (m != null) {
            return m.rule().decision();
        }
        if (bound[0] || !meshRoutes.known(fqdn, proxy.namespace())) {
            return RouteDecision.none();
        }
        int port = Hosts.portOf(request.authority(), 80);
        return new RouteDecision(null, -1, List.of(new WeightedDestination(fqdn, null, port, 100)), null, null);
    }

    @Override
    public RouteDecision routeConnection(ProxyRef proxy, String host, int port, @Nullable String sni) {
        requireNonNull(proxy, "proxy");
        requireNonNull(host, "host");
        if (proxy.kind() == ProxyRef.Kind.GATEWAY) {
            Net.L4Rule rule = gatewayRoutes.routeL4(proxy, port, sni);
            return rule == null ? RouteDecision.none() : rule.decision();
        }
        String fqdn = meshRoutes.resolve(host, proxy.namespace());
        if (!sidecars.visible(proxy, fqdn)) {
            return RouteDecision.none();
        }
        Net.L4Rule rule = meshRoutes.routeL4(proxy, fqdn, port, sni == null ? null : sni.toLowerCase(java.util.Locale.ROOT));
        if (rule != null) {
            return rule.decision();
        }
        if (!meshRoutes.known(fqdn, proxy.namespace())) {
            return RouteDecision.none();
        }
        return new RouteDecision(null, -1, List.of(new WeightedDestination(fqdn, null, port, 100)), null, null);
    }

    @Override
    public Optional<ResolvedDestination> resolve(String host, @Nullable String subset, int port) {
        return resolveFor(null, host, subset, port);
    }

    @Override
    public Optional<ResolvedDestination> resolve(String clientNamespace, String host, @Nullable String subset, int port) {
        requireNonNull(clientNamespace, "clientNamespace");
        return resolveFor(clientNamespace, host, subset, port);
    }

    private Optional<ResolvedDestination> resolveFor(@Nullable String clientNs, String host, @Nullable String subset, int port) {
        ServiceSpec service = servicesByHost.get(host == null ? "" : host.toLowerCase(java.util.Locale.ROOT));
        if (service == null) {
            return Optional.empty();
        }
        Map<String, String> selector = new LinkedHashMap<>(service.selector());
        if (subset != null && !subset.isEmpty()) {
            DestinationRuleDef rule = clientNs == null ? null : ruleScopes.lookup(clientNs, service.fqdn());
            SubsetDef def = clientNs == null ? subset(service.fqdn(), subset) : rule == null ? null : rule.subsets().get(subset);
            if (def == null) {
                return Optional.empty();
            }
            selector.putAll(def.labels());
        }
        int target = port;
        List<ServicePort> ports = service.ports();
        if (!ports.isEmpty()) {
            target = ports.stream().filter(p -> p.port() == port).findFirst().orElse(ports.get(0)).targetPort();
        }
        return Optional.of(new ResolvedDestination(service.namespace(), service.name(), selector, target));
    }

    @Override
    public TrafficPolicy trafficPolicy(String host, @Nullable String subset, int port) {
        requireNonNull(host, "host");
        HostTable.Hit<DestinationRuleDef> hit = destinationRules.lookup(host.toLowerCase(java.util.Locale.ROOT));
        if (hit == null) {
            return TrafficPolicy.NONE;
        }
        DestinationRuleDef dr = hit.values().get(0);
        TrafficPolicy policy = dr.policy().at(port);
        SubsetDef s = subset == null ? null : dr.subsets().get(subset);
        return s == null ? policy : policy.overriddenBy(s.policy().at(port));
    }

    @Override
    public EgressDecision egress(String namespace, Map<String, String> labels, String host, int port) {
        requireNonNull(namespace, "namespace");
        requireNonNull(labels, "labels");
        requireNonNull(host, "host");
        String fqdn = meshRoutes.resolve(host, namespace);
        return sidecars.egress(namespace, labels, fqdn, meshRoutes.known(fqdn, namespace));
    }

    @Override
    public TrafficPolicy trafficPolicy(String clientNamespace, String host, @Nullable String subset, int port) {
        requireNonNull(clientNamespace, "clientNamespace");
        requireNonNull(host, "host");
        DestinationRuleDef dr = destinationRule(clientNamespace, host).orElse(null);
        if (dr == null) {
            return TrafficPolicy.NONE;
        }
        TrafficPolicy policy = dr.policy().at(port);
        SubsetDef s = subset == null ? null : dr.subsets().get(subset);
        return s == null ? policy : policy.overriddenBy(s.policy().at(port));
    }

    /**
     * The DestinationRule a client in {@code clientNamespace} uses for a host: its own namespace's, else one exported
     * to it from the service's namespace, else one exported to it from the root namespace.
     */
    public Optional<DestinationRuleDef> destinationRule(String clientNamespace, String host) {
        return Optional.ofNullable(ruleScopes.lookup(clientNamespace, host));
    }

    /** The subset as the DestinationRule that applies to the host defines it: exact host first, then wildcards. */
    public @Nullable SubsetDef subset(String host, String name) {
        HostTable.Hit<DestinationRuleDef> hit = destinationRules.lookup(host);
        if (hit != null) {
            for (DestinationRuleDef dr : hit.values()) {
                SubsetDef s = dr.subsets().get(name);
                if (s != null) {
                    return s;
                }
            }
        }
        for (DestinationRuleDef dr : model.destinationRules()) {
            if (Hosts.matches(dr.host(), host) && dr.subsets().containsKey(name)) {
                return dr.subsets().get(name);
            }
        }
        return null;
    }

    /** The DestinationRule that applies to a host (exact beats the longest wildcard), if any. */
    public Optional<DestinationRuleDef> destinationRule(String host) {
        HostTable.Hit<DestinationRuleDef> hit = destinationRules.lookup(host);
        return hit == null ? Optional.empty() : Optional.of(hit.values().get(0));
    }
}
