package dev.meshpilot.sync.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * How one desired object is written to the API server: server-side apply on real clusters, create-or-replace where
 * server-side apply is missing (fabric8's mock server). The object already carries Meshpilot's label and
 * annotations; the applier returns the object as the server stored it.
 */
public interface KubeApplier {

    /** Field manager name Meshpilot's writes are recorded under. */
    String FIELD_MANAGER = "meshpilot";

    HasMetadata apply(KubernetesClient client, HasMetadata desired);

    /** Server-side apply, field manager {@value #FIELD_MANAGER}, taking over conflicting fields (force). */
    static KubeApplier serverSideApply() {
        return new ServerSideApplier();
    }

    /** Create when missing, otherwise replace at the live resourceVersion (retried on a 409 conflict). */
    static KubeApplier createOrReplace() {
        return new CreateOrReplaceApplier();
    }
}
