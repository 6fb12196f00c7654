package dev.meshpilot.console.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.console.config.MeshpilotProperties;
import dev.meshpilot.console.runtime.SyncEvents;
import dev.meshpilot.sync.MeshRepository;
import dev.meshpilot.sync.SyncLoop;
import dev.meshpilot.sync.kube.KubernetesTarget;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The cluster-mode beans exist only with {@code meshpilot.kubernetes.enabled=true}; the client closes with them. */
class KubernetesConfigurationTest {

    @TempDir
    Path dir;

    @Test
    void embeddedModeHasNoKubernetesClient() {
        new ApplicationContextRunner().withUserConfiguration(KubernetesConfiguration.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(KubernetesClient.class);
                    assertThat(context).doesNotHaveBean(KubernetesTarget.class);
                });
    }

    @Test
    void clusterModeHasOneClientForTheGivenConnectionClosedOnShutdown() {
        Config connection = new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:6443/")
                .withNamespace("mesh").build();
        AtomicReference<KubernetesClient> client = new AtomicReference<>();
        try (MeshRepository repository = MeshRepository.openOrInit(dir.resolve("mesh.git"))) {
            new ApplicationContextRunner().withUserConfiguration(KubernetesConfiguration.class)
                    .withPropertyValues("meshpilot.kubernetes.enabled=true")
                    .withBean(Config.class, () -> connection)
                    .withBean(MeshpilotProperties.class, () -> new MeshpilotProperties(0, 0, dir, null, "main",
                            List.of(), new MeshpilotProperties.Kubernetes(true,
                                    MeshpilotProperties.ApplyMode.SERVER_SIDE), null))
                    .withBean(SyncEvents.class, SyncEvents::new)
                    .withBean(SyncLoop.class, () -> new SyncLoop(repository, "main", List.of()))
                    .run(context -> {
                        assertThat(context).hasSingleBean(KubernetesClient.class).hasSingleBean(KubernetesTarget.class);
                        client.set(context.getBean(KubernetesClient.class));
                        assertThat(client.get().getMasterUrl().toString()).isEqualTo("https://127.0.0.1:6443/");
                        assertThat(client.get().getNamespace()).isEqualTo("mesh");
                        assertThat(client.get().getHttpClient().isClosed()).isFalse();
                    });
        }
        assertThat(client.get().getHttpClient().isClosed()).as("closed with the context").isTrue();
    }
}
