package dev.meshpilot.proxy.route;

import dev.meshpilot.observability.metrics.RequestLabels;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.proxy.endpoint.Endpoint;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/** Istio's standard metric labels for a request as its source proxy (sidecar outbound or gateway) reports it. */
final class SourceMetrics {

    private static final String CLUSTER = "Kubernetes";

    private SourceMetrics() {}

    static RequestLabels labels(ProxyRef self, @Nullable Endpoint endpoint, @Nullable String service, int status,
            String flags) {
        RequestLabels.Builder b = RequestLabels.builder().reporter("source")
                .sourceWorkload(self.deployment() != null ? self.deployment() : "istio-ingressgateway")
                .sourceWorkloadNamespace(self.namespace())
                .sourcePrincipal(principal(self.namespace(), self.serviceAccount()))
                .sourceApp(self.labels().get("app")).sourceVersion(self.labels().get("version"))
                .sourceCluster(CLUSTER).requestProtocol("http").responseCode(status).responseFlags(flags)
                .connectionSecurityPolicy(RequestLabels.UNKNOWN).destinationService(service);
        if (service != null) {
            String[] parts = service.split("\\.");
            b.destinationServiceName(parts[0]).destinationServiceNamespace(parts.length > 1 ? parts[1] : null);
        }
        if (endpoint != null) {
            b.destinationWorkload(endpoint.deployment()).destinationWorkloadNamespace(endpoint.namespace())
                    .destinationPrincipal(principal(endpoint.namespace(), endpoint.serviceAccount()))
                    .destinationApp(endpoint.labels().get("app")).destinationVersion(endpoint.labels().get("version"))
                    .destinationCluster(CLUSTER);
        }
        return b.build();
    }

    /**
     * The label sets of one source proxy, each built once per (endpoint, service, status, flags) instead of per
     * request; starts over when {@link #MAX_CACHED} sets were seen (destinations outside the mesh are unbounded).
     */
    static final class Cache {

        private static final int MAX_CACHED = 4096;

        private final ProxyRef self;
        private final ConcurrentMap<Key, RequestLabels> sets = new ConcurrentHashMap<>();

        Cache(ProxyRef self) {
            this.self = self;
        }

        RequestLabels labels(@Nullable Endpoint endpoint, @Nullable String service, int status, String flags) {
            Key key = new Key(endpoint, service, status, flags);
            RequestLabels labels = sets.get(key);
            if (labels == null) {
                labels = SourceMetrics.labels(self, endpoint, service, status, flags);
                if (sets.size() >= MAX_CACHED) {
                    sets.clear();
                }
                sets.put(key, labels);
            }
            return labels;
        }

        private record Key(@Nullable Endpoint endpoint, @Nullable String service, int status, String flags) {}
    }

    static String principal(String namespace, String serviceAccount) {
        return "spiffe://cluster.local/ns/" + namespace + "/sa/" + serviceAccount;
    }
}
