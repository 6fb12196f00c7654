package dev.meshpilot.console.kube;

import dev.meshpilot.console.config.MeshpilotProperties;
import dev.meshpilot.console.runtime.SyncEvents;
import dev.meshpilot.sync.SyncLoop;
import dev.meshpilot.sync.kube.KubeApplier;
import dev.meshpilot.sync.kube.KubernetesTarget;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Cluster mode ({@code meshpilot.kubernetes.enabled=true}, {@code --kubernetes}): the console's one
 * {@link KubernetesClient}, closed on shutdown, the sync target {@code kubernetes} that applies every accepted
 * commit's YAML to the cluster after the embedded fleet, and the {@link ClusterDriftRepair} that writes back what
 * was changed in the cluster behind Git's back. The client's connection is fabric8's auto-configuration
 * (the pod's service account when running in a cluster, otherwise {@code KUBECONFIG} or {@code ~/.kube/config} and
 * the {@code kubernetes.*} system properties) unless the context has a {@link Config} bean (tests point it at
 * fabric8's mock server that way). Without cluster mode there are no such beans: code that needs the cluster takes
 * an {@code ObjectProvider<KubernetesClient>} and keeps to the embedded variant when it is empty.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("meshpilot.kubernetes.enabled")
public class KubernetesConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KubernetesConfiguration.class);

    @Bean(destroyMethod = "close")
    KubernetesClient kubernetesClient(ObjectProvider<Config> config) {
        Config connection = config.getIfAvailable(() -> Config.autoConfigure(null));
        KubernetesClient client = new KubernetesClientBuilder().withConfig(connection).build();
        log.info("Cluster mode (--kubernetes): Kubernetes API {}, namespace {}", client.getMasterUrl(),
                client.getNamespace());
        return client;
    }

    /** Objects without a namespace go to {@code default}, like {@code kubectl apply} without {@code -n}. */
    @Bean
    KubernetesTarget kubernetesTarget(KubernetesClient client, MeshpilotProperties properties) {
        KubeApplier applier = switch (properties.kubernetes().apply()) {
            case SERVER_SIDE -> KubeApplier.serverSideApply();
            case CREATE_OR_REPLACE -> KubeApplier.createOrReplace();
        };
        return new KubernetesTarget(client, applier, "default");
    }

    /** Drift repair from the first applied commit on; stopped before the client closes. */
    @Bean(destroyMethod = "close")
    ClusterDriftRepair clusterDriftRepair(KubernetesTarget target, SyncEvents events, SyncLoop loop) {
        ClusterDriftRepair repair = new ClusterDriftRepair(target);
        events.subscribe(repair);
        repair.catchUp(); // the loop may have applied the head before this subscription
        return repair;
    }
}
