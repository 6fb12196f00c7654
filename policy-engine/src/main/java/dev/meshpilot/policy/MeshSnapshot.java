package dev.meshpilot.policy;

import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.ResolvedDestination;
import dev.meshpilot.policy.route.RouteDecision;
import dev.meshpilot.policy.workload.ServiceSpec;
import dev.meshpilot.policy.workload.WorkloadSpec;
import java.util.List;
import java.util.Optional;

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
     * Resolves a route destination to the workloads that serve it: the Service's selector merged with
     * the subset's labels, and the port the workload listens on.
     */
    Optional<ResolvedDestination> resolve(String host, String subset, int port);
}
