package dev.meshpilot.sync.kube;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;

/**
 * Create when missing, otherwise replace at the live object's resourceVersion; a 409 conflict (someone wrote in
 * between) re-reads and tries again, up to three times. For API servers without server-side apply.
 */
final class CreateOrReplaceApplier implements KubeApplier {

    private static final int ATTEMPTS = 3;

    @Override
    public HasMetadata apply(KubernetesClient client, HasMetadata desired) {
        requireNonNull(client, "client");
        requireNonNull(desired, "desired");
        for (int attempt = 1; ; attempt++) {
            try {
                HasMetadata live = client.resource(desired).get();
                if (live == null) {
                    desired.getMetadata().setResourceVersion(null);
                    return client.resource(desired).create();
                }
                desired.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
                return client.resource(desired).update();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "create-or-replace";
    }
}
