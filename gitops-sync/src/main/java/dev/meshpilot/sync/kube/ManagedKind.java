package dev.meshpilot.sync.kube;

import java.util.List;
import java.util.Set;

/**
 * The kinds Meshpilot writes, in make-before-break order: what others refer to is applied first (Namespaces,
 * ServiceAccounts, Services, Deployments, DestinationRules) and routes last; pruning runs in the reverse order so a
 * route is gone before the subset it pointed at.
 */
record ManagedKind(String apiVersion, String kind, int rank) {

    static final List<ManagedKind> KNOWN = List.of(
            new ManagedKind("v1", "Namespace", 0),
            new ManagedKind("v1", "ServiceAccount", 1),
            new ManagedKind("v1", "ConfigMap", 1),
            new ManagedKind("v1", "Secret", 1),
            new ManagedKind("v1", "Service", 2),
            new ManagedKind("apps/v1", "Deployment", 3),
            new ManagedKind("networking.istio.io/v1alpha3", "ServiceEntry", 4),
            new ManagedKind("networking.istio.io/v1alpha3", "DestinationRule", 4),
            new ManagedKind("security.istio.io/v1beta1", "PeerAuthentication", 5),
            new ManagedKind("security.istio.io/v1beta1", "RequestAuthentication", 5),
            new ManagedKind("security.istio.io/v1beta1", "AuthorizationPolicy", 5),
            new ManagedKind("networking.istio.io/v1alpha3", "Gateway", 5),
            new ManagedKind("networking.istio.io/v1alpha3", "VirtualService", 6));

    /** Rank of a kind Meshpilot does not know: after the workloads, before the routes. */
    static final int OTHER_RANK = 5;

    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration");

    static int rankOf(String kind) {
        return KNOWN.stream().filter(k -> k.kind.equals(kind)).mapToInt(ManagedKind::rank).findFirst()
                .orElse(OTHER_RANK);
    }

    static boolean clusterScoped(String kind) {
        return CLUSTER_SCOPED.contains(kind);
    }

    /** API group, empty for the core group. */
    String group() {
        return Manifests.groupOf(apiVersion);
    }
}
