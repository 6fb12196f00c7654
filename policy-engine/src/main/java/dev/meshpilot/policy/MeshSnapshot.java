package dev.meshpilot.policy;

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
import dev.meshpilot.policy.workload.ServiceSpec;
import dev.meshpilot.policy.workload.WorkloadSpec;
import dev.meshpilot.policy.security.AuthorizationDecision;
import dev.meshpilot.policy.security.AuthzRequest;
import dev.meshpilot.policy.security.CustomAuthorization;
import dev.meshpilot.policy.security.ExtensionProvider;
import dev.meshpilot.policy.security.JwtRequirement;
import dev.meshpilot.policy.security.JwtRule;
import dev.meshpilot.policy.security.MtlsMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The whole mesh configuration of one commit, compiled and immutable. Swapped whole, never mutated.
 * Every decision the data plane takes is asked here.
 */
public interface MeshSnapshot {

    /** The version this snapshot was compiled from (the Git commit id). */
    String version();

    /** Every Deployment of the configuration, in file order. */
    List<WorkloadSpec> workloads();

    /** Every Kubernetes Service of the configuration. */
    List<ServiceSpec> services();

    /**
     * Routes one HTTP request as the given proxy (an ingress gateway or a workload's sidecar) sees it.
     * A request to a mesh host without a VirtualService gets the default route to that Service;
     * {@link RouteDecision#none} when nothing routes it (the proxy answers 404).
     */
    RouteDecision route(ProxyRef proxy, RequestAttributes request);

    /**
     * The servers of every Gateway whose {@code spec.selector} selects the gateway proxy's labels (an empty selector
     * selects every gateway), in file order, each with its {@code tls} block. Empty for a sidecar.
     */
    default List<GatewayServer> gatewayServers(ProxyRef gateway) {
        return List.of();
    }

    /**
     * Routes a TLS connection by SNI ({@code spec.tls}) or, when {@code sni} is null, a TCP connection by port
     * ({@code spec.tcp}). {@code host} is the destination host as the client named it (used by sidecars; a known
     * host without a matching rule gets the default route). The decision's rule is the index in spec.tls / spec.tcp.
     */
    default RouteDecision routeConnection(ProxyRef proxy, String host, int port, @Nullable String sni) {
        return RouteDecision.none();
    }

    /**
     * The DestinationRule traffic policy for a destination (exact host beats the longest wildcard such as
     * {@code *.local}): rule level, port level, subset level, subset port level, later ones overriding field by field.
     */
    default TrafficPolicy trafficPolicy(String host, @Nullable String subset, int port) {
        return TrafficPolicy.NONE;
    }

    /**
     * Whether a workload's outbound call to {@code host} (as the application names it: {@code world}, {@code
     * world.ns2}, {@code ifconfig.co}) leaves its sidecar. The Sidecar resource that applies (workloadSelector in the
     * namespace, else the namespace's default, else the root namespace's default) gives the outbound traffic policy:
     * {@code REGISTRY_ONLY} blocks hosts that are neither a Service nor a ServiceEntry exported to the namespace, and
     * registry hosts its egress hosts do not import; {@code ALLOW_ANY} passes them through. A Sidecar without a mode (or
     * no Sidecar) takes the mesh config's {@code outboundTrafficPolicy.mode} (ConfigMap {@code istio-system/istio}),
     * else ALLOW_ANY.
     */
    default EgressDecision egress(String namespace, Map<String, String> labels, String host, int port) {
        return new EgressDecision(true, EgressDecision.ALLOW_ANY, host, false, null,
                "ALLOW_ANY: " + host + " passed through (mesh default)");
    }

    /**
     * The traffic policy a client in {@code clientNamespace} applies, with Istio's DestinationRule lookup order: a
     * rule in the client's namespace, then one exported to it from the service's namespace, then one exported to it
     * from the root namespace {@code istio-system}. The first namespace holding a visible rule for the host decides.
     * When none holds one, a rule of any other namespace exported to the client applies (Istio 1.0–1.4 applied
     * DestinationRules mesh-wide; exact host before the longest wildcard, then the oldest): the analyzers warn (MP0214, MP0215).
     */
    default TrafficPolicy trafficPolicy(String clientNamespace, String host, @Nullable String subset, int port) {
        return trafficPolicy(host, subset, port);
    }

    /**
     * Resolves a route destination to the workloads that serve it: the Service's selector merged with
     * the subset's labels (a null or empty subset: every endpoint), and the port the workload listens on
     * ({@code port} 0 or unknown: the first port). Empty when the host is not a Service or the subset is unknown.
     */
    Optional<ResolvedDestination> resolve(String host, @Nullable String subset, int port);

    /**
     * As {@link #resolve(String, String, int)}, with the subset taken from the DestinationRule a client in
     * {@code clientNamespace} uses (Istio's lookup order, see {@link #trafficPolicy(String, String, String, int)}):
     * empty when that rule does not define the subset, or when the Service's {@code networking.istio.io/exportTo}
     * annotation does not export it to {@code clientNamespace}.
     */
    default Optional<ResolvedDestination> resolve(String clientNamespace, String host, @Nullable String subset, int port) {
        return resolve(host, subset, port);
    }

    /**
     * Authorizes a request arriving at a workload (namespace + pod labels) with Istio's order: CUSTOM policies first,
     * then DENY policies, then ALLOW policies (when any applies, one must match); AUDIT policies never decide. A CUSTOM
     * policy whose provider Istio cannot use (not in the mesh config, invalid, or a second provider for the same
     * workload) denies the requests its rules match (action {@code CUSTOM}); a usable one is the data plane's to ask
     * first ({@link #customAuthorization}), this decision then stands for the DENY and ALLOW policies. Legacy RBAC
     * resources take part after conversion. The default allows (a snapshot without policies).
     */
    default AuthorizationDecision authorize(String namespace, Map<String, String> workloadLabels, AuthzRequest request) {
        return AuthorizationDecision.allowedWithoutPolicy();
    }

    /**
     * The external authorization a request needs before {@link #authorize}: the CUSTOM policy of the workload whose
     * rules match it and the mesh config provider it names. Empty when no CUSTOM policy with a usable provider matches.
     */
    default Optional<CustomAuthorization> customAuthorization(String namespace, Map<String, String> workloadLabels,
            AuthzRequest request) {
        return Optional.empty();
    }

    /**
     * How proxies normalize request paths before routing and authorization (mesh config
     * {@code pathNormalization.normalization} of ConfigMap {@code istio-system/istio}; {@code DEFAULT} or not set:
     * {@link PathNormalization#BASE}, as in Istio).
     */
    default PathNormalization pathNormalization() {
        return PathNormalization.BASE;
    }

    /** The usable external authorizers of the mesh config (ConfigMap {@code istio-system/istio}), in its order. */
    default List<ExtensionProvider> extensionProviders() {
        return List.of();
    }

    /** The mTLS mode a workload's inbound port accepts: workload → namespace → mesh PeerAuthentication, else PERMISSIVE. */
    default MtlsMode mtlsMode(String namespace, Map<String, String> workloadLabels, int port) {
        return MtlsMode.PERMISSIVE;
    }

    /**
     * The JWT rules (RequestAuthentication, mesh-wide from the root namespace, namespace-wide, and by selector)
     * that apply to a workload; empty when requests to it carry no token requirements.
     */
    default List<JwtRule> jwtRules(String namespace, Map<String, String> workloadLabels) {
        return List.of();
    }

    /**
     * Whether a request to a workload must carry a valid token, and of which issuers. Only Istio 1.0–1.5's removed
     * authentication Policy/MeshPolicy with {@code origins} requires one (the most specific policy of the workload
     * decides; {@code originIsOptional} and origins whose {@code triggerRules} do not match the path require
     * nothing). Istio answered such a request without a valid token with 401 before any authorization. A
     * RequestAuthentication alone never requires a token: empty.
     *
     * @param path the request path, with or without query (the query is ignored)
     */
    default Optional<JwtRequirement> jwtRequirement(String namespace, Map<String, String> workloadLabels, String path) {
        return Optional.empty();
    }

    /** Whether {@link #jwtRequirement(String, Map, String)} requires a token for this request. */
    default boolean jwtRequired(String namespace, Map<String, String> workloadLabels, String path) {
        return jwtRequirement(namespace, workloadLabels, path).isPresent();
    }

    /** Every ServiceEntry of the configuration, in file order. */
    default List<ExternalService> serviceEntries() {
        return List.of();
    }

    /**
     * The ServiceEntry a client in {@code clientNamespace} reaches for {@code host} and {@code port} (0: any port):
     * among the entries exported to the namespace that declare the port, an exact host beats the longest wildcard
     * ({@code *.example.com}), an entry of the client's own namespace beats the others, then file order. Empty when
     * the host is not a ServiceEntry host for that port.
     */
    default Optional<ExternalService> serviceEntry(String clientNamespace, String host, int port) {
        return Optional.empty();
    }

    /**
     * Resolves a route destination that is a ServiceEntry host to where connections go (see
     * {@link ExternalDestination#targets()}): a subset takes its labels from the DestinationRule a client in
     * {@code clientNamespace} uses for the host and selects the listed endpoints carrying them. Empty when the host
     * is no ServiceEntry host for that port, or the subset is not defined for the client.
     */
    default Optional<ExternalDestination> resolveExternal(String clientNamespace, String host, @Nullable String subset,
            int port) {
        return Optional.empty();
    }

    /**
     * The Sidecar resource that applies to a workload: the one of its namespace whose workloadSelector selects it,
     * else its namespace's Sidecar without selector, else the root namespace's; empty when none (every host on every
     * port, inbound traffic to the workload's own ports). Per-port egress and ingress listeners are in it;
     * {@link #egress} and {@link #route} already apply its egress hosts.
     */
    default Optional<SidecarConfig> sidecar(String namespace, Map<String, String> workloadLabels) {
        return Optional.empty();
    }
}
