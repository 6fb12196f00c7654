package dev.meshpilot.sync.kube;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * {@code PATCH ...?fieldManager=meshpilot&force=true} with {@code application/apply-patch+yaml}: the server merges
 * the fields Meshpilot owns and keeps everybody else's (e.g. a Service's clusterIP, an HPA's replicas).
 */
final class ServerSideApplier implements KubeApplier {

    @Override
    public HasMetadata apply(KubernetesClient client, HasMetadata desired) {
        requireNonNull(client, "client");
        requireNonNull(desired, "desired");
        desired.getMetadata().setResourceVersion(null);
        return client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    @Override
    public String toString() {
        return "server-side apply (field manager " + FIELD_MANAGER + ")";
    }
}
