package dev.meshpilot.policy.internal;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.internal.Net.DestinationRuleDef;
import dev.meshpilot.policy.internal.Net.SubsetDef;
import dev.meshpilot.policy.route.EgressDecision;
import dev.meshpilot.policy.route.ExternalDestination;
import dev.meshpilot.policy.route.ExternalService;
import dev.meshpilot.policy.route.GatewayServer;
import dev.meshpilot.policy.route.PathNormalization;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.ResolvedDestination;
import dev.meshpilot.policy.route.RouteDecision;
import dev.meshpilot.policy.route.SidecarConfig;
import dev.meshpilot.policy.route.TrafficPolicy;
import dev.meshpilot.policy.route.WeightedDestination;
import dev.meshpilot.policy.security.AuthorizationDecision;
import dev.meshpilot.policy.security.AuthzRequest;
import dev.meshpilot.policy.security.CustomAuthorization;
import dev.meshpilot.policy.security.ExtensionProvider;
import dev.meshpilot.policy.security.JwtRequirement;
import dev.meshpilot.policy.security.JwtRule;
import dev.meshpilot.policy.security.MtlsMode;
import dev.meshpilot.policy.workload.ServiceSpec;
import dev.meshpilot.policy.workload.WorkloadSpec;
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
    private final Destinations destinations;
    private final Authorizer authorizer;
    private final MtlsPolicies mtls;
    private final SidecarScopes sidecars;
    private final DestinationRuleScopes ruleScopes;
    private final ServiceEntries serviceEntries;

    public CompiledSnapshot(String version, MeshModel model) {
        this.version = requireNonNull(version, "version");
        this.model = requireNonNull(model, "model");
        this.gatewayRoutes = new GatewayRoutes(model);
        this.meshRoutes = new MeshRoutes(model);
        this.ruleScopes = new DestinationRuleScopes(model);
        this.destinations = new Destinations(model, ruleScopes);
        this.serviceEntries = new ServiceEntries(model.serviceEntries());
        this.authorizer = new Authorizer(model.authorizationPolicies(), model.meshConfig(), model::governs,
                model.legacyOrigins());
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
            if (scope && (ra.selector() == null || Authorizer.selects(ra.selector(), workloadLabels))
                    && model.governs(ra.src(), namespace, workloadLabels)) {
                out.addAll(ra.rules());
            }
        }
        return List.copyOf(out);
    }

    @Override
    public Optional<CustomAuthorization> customAuthorization(String namespace, Map<String, String> workloadLabels,
            AuthzRequest request) {
        requireNonNull(namespace, "namespace");
        requireNonNull(workloadLabels, "workloadLabels");
        requireNonNull(request, "request");
        return authorizer.custom(namespace, workloadLabels, request);
    }

    @Override
    public PathNormalization pathNormalization() {
        return model.meshConfig().pathNormalization();
    }

    @Override
    public List<ExtensionProvider> extensionProviders() {
        return List.copyOf(model.meshConfig().providers().values());
    }

    @Override
    public Optional<JwtRequirement> jwtRequirement(String namespace, Map<String, String> workloadLabels, String path) {
        requireNonNull(namespace, "namespace");
        requireNonNull(workloadLabels, "workloadLabels");
        requireNonNull(path, "path");
        return model.legacyAuthn().requirement(namespace, workloadLabels, path);
    }

    @Override
    public MtlsMode mtlsMode(String namespace, Map<String, String> workloadLabels, int port) {
        requireNonNull(namespace, "namespace");
        requireNonNull(workloadLabels, "workloadLabels");
        return mtls.mode(namespace, workloadLabels, port);
    }

    @Override
    public Optional<SidecarConfig> sidecar(String namespace, Map<String, String> workloadLabels) {
        requireNonNull(namespace, "namespace");
        requireNonNull(workloadLabels, "workloadLabels");
        return sidecars.config(namespace, workloadLabels);
    }

    @Override
    public List<ExternalService> serviceEntries() {
        return serviceEntries.all();
    }

    @Override
    public Optional<ExternalService> serviceEntry(String clientNamespace, String host, int port) {
        requireNonNull(clientNamespace, "clientNamespace");
        requireNonNull(host, "host");
        return serviceEntries.find(clientNamespace, host, port);
    }

    @Override
    public Optional<ExternalDestination> resolveExternal(String clientNamespace, String host, @Nullable String subset,
            int port) {
        requireNonNull(clientNamespace, "clientNamespace");
        requireNonNull(host, "host");
        return serviceEntries.resolve(clientNamespace, host, subset, port, ruleScopes);
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
            return m == null ? RouteDecision.none() : m.decision();
        }
        String fqdn = meshRoutes.resolve(request.authority(), proxy.namespace());
        if (!sidecars.visible(proxy, fqdn, Hosts.portOf(request.authority(), request.port()))) {
            return RouteDecision.none();
        }
        boolean[] bound = {false};
        MeshRoutes.Match m = meshRoutes.route(proxy, request, fqdn, bound);
        if (m != null) {
            return m.decision();
        }
        if (bound[0] || !meshRoutes.known(fqdn, proxy.namespace())) {
            return RouteDecision.none();
        }
        int port = Hosts.portOf(request.authority(), 80);
        return new RouteDecision(null, -1, List.of(new WeightedDestination(fqdn, null, port, 100)), null, null);
    }

    @Override
    public List<GatewayServer> gatewayServers(ProxyRef gateway) {
        requireNonNull(gateway, "gateway");
        if (gateway.kind() != ProxyRef.Kind.GATEWAY) {
            return List.of();
        }
        return model.gateways().stream().filter(g -> GatewayRoutes.selects(g.selector(), gateway.labels()))
                .flatMap(g -> g.view().stream()).toList();
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
        if (!sidecars.visible(proxy, fqdn, port)) {
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
        requireNonNull(host, "host");
        return destinations.resolve(null, host, subset, port);
    }

    @Override
    public Optional<ResolvedDestination> resolve(String clientNamespace, String host, @Nullable String subset, int port) {
        requireNonNull(clientNamespace, "clientNamespace");
        requireNonNull(host, "host");
        return destinations.resolve(clientNamespace, host, subset, port);
    }

    @Override
    public EgressDecision egress(String namespace, Map<String, String> labels, String host, int port) {
        requireNonNull(namespace, "namespace");
        requireNonNull(labels, "labels");
        requireNonNull(host, "host");
        String fqdn = meshRoutes.resolve(host, namespace);
        return sidecars.egress(namespace, labels, fqdn, port, meshRoutes.known(fqdn, namespace));
    }

    @Override
    public TrafficPolicy trafficPolicy(String host, @Nullable String subset, int port) {
        requireNonNull(host, "host");
        return destinations.trafficPolicy(null, host, subset, port);
    }

    @Override
    public TrafficPolicy trafficPolicy(String clientNamespace, String host, @Nullable String subset, int port) {
        requireNonNull(clientNamespace, "clientNamespace");
        requireNonNull(host, "host");
        return destinations.trafficPolicy(clientNamespace, host, subset, port);
    }

    /**
     * The DestinationRule a client in {@code clientNamespace} uses for a host: its own namespace's, else one exported
     * to it from the service's namespace, else one exported to it from the root namespace (several rules for one host
     * merged as Istio does), else the Istio 1.0–1.4 compatibility fallback ({@link #compatibilityRule}).
     */
    public Optional<DestinationRuleDef> destinationRule(String clientNamespace, String host) {
        return Optional.ofNullable(destinations.rule(clientNamespace, host));
    }

    /**
     * The DestinationRule a client in {@code clientNamespace} uses for a host only through Meshpilot's Istio 1.0–1.4
     * compatibility (a rule of another namespace exported to the client; Istio 1.5+ would use none): empty when Istio's
     * lookup finds a rule, or no rule is exported to the client at all.
     */
    public Optional<DestinationRuleDef> compatibilityRule(String clientNamespace, String host) {
        requireNonNull(clientNamespace, "clientNamespace");
        requireNonNull(host, "host");
        return Optional.ofNullable(ruleScopes.fallback(clientNamespace, host));
    }

    /** The subset as the DestinationRule that applies to the host defines it: exact host first, then wildcards. */
    public @Nullable SubsetDef subset(String host, String name) {
        return destinations.subset(host, name);
    }

    /** The DestinationRule that applies to a host (exact beats the longest wildcard), if any. */
    public Optional<DestinationRuleDef> destinationRule(String host) {
        return Optional.ofNullable(destinations.rule(null, host));
    }
}
