package dev.meshpilot.sync.kube;

import static dev.meshpilot.sync.Fixtures.ALICE;
import static dev.meshpilot.sync.Fixtures.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.sync.Fixtures;
import dev.meshpilot.sync.MeshRepository;
import dev.meshpilot.sync.SyncLoop;
import dev.meshpilot.sync.SyncState;
import dev.meshpilot.sync.SyncStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Git commit → sync loop (real compiler) → Kubernetes objects in fabric8's CRUD mock server. */
@EnableKubernetesMockClient(crud = true)
class KubernetesSyncLoopTest {

    KubernetesClient client;

    @TempDir
    Path dir;

    MeshRepository repo;
    SyncLoop loop;

    @BeforeEach
    void open() {
        IstioCrds.install(client);
        repo = MeshRepository.openOrInit(dir.resolve("mesh.git"));
        loop = new SyncLoop(repo, "main", List.of(new KubernetesTarget(client, KubeApplier.createOrReplace())));
    }

    @AfterEach
    void close() {
        loop.close();
        repo.close();
    }

    @Test
    void appliesValidCommitsAndLeavesTheClusterAloneOnARejectedOne() {
        String seed = repo.seed(Fixtures.tutorial(), ALICE, "Seed");
        assertThat(loop.syncNow().state()).isEqualTo(SyncState.APPLIED);
        assertThat(route().getMetadata().getAnnotations()).containsEntry("meshpilot.dev/commit", seed);

        String canary = repo.commit("main", Map.of("istio/hello-routing.yaml", Fixtures.canary(70, 30)), BOB, "30%");
        SyncStatus applied = loop.syncNow();
        assertThat(applied.state()).isEqualTo(SyncState.APPLIED);
        assertThat(applied.messages()).singleElement().asString().startsWith("kubernetes: applied in ");
        assertThat(route().getMetadata().getAnnotations()).containsEntry("meshpilot.dev/commit", canary);

        repo.commit("main", Map.of("istio/hello-routing.yaml", Fixtures.canaryTo("v3", 50, 50)), BOB, "Route to v3");
        assertThat(loop.syncNow().state()).isEqualTo(SyncState.REJECTED);
        assertThat(route().getMetadata().getAnnotations()).containsEntry("meshpilot.dev/commit", canary);
        assertThat(client.getKubernetesSerialization().asJson(route().getAdditionalProperties().get("spec")))
                .contains("\"subset\":\"v2\"").doesNotContain("v3");
    }

    private GenericKubernetesResource route() {
        return client.genericKubernetesResources("networking.istio.io/v1alpha3", "VirtualService")
                .inNamespace("default").withName("helloworld").get();
    }
}
