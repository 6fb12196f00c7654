package dev.meshpilot.proxy.route;

import dev.meshpilot.observability.metrics.RequestLabels;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.proxy.endpoint.Endpoint;
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

    static String principal(String namespace, String serviceAccount) {
        return "spiffe://cluster.local/ns/" + namespace + "/sa/" + serviceAccount;
    }
}
