package dev.meshpilot.console.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.console.EmbeddedRuntimeProperties;
import dev.meshpilot.console.canary.CanaryCommit;
import dev.meshpilot.console.canary.CanaryService;
import dev.meshpilot.policy.edit.CanaryRoute;
import dev.meshpilot.sync.MeshRepository;
import dev.meshpilot.sync.SyncLoop;
import dev.meshpilot.sync.SyncState;
import dev.meshpilot.sync.SyncStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Cluster mode's sync: every accepted commit lands in the cluster (fabric8's CRUD mock) as Istio resources, and a
 * change made in the cluster is written back.
 */
@SpringBootTest
@Import(ClusterModeTestConfiguration.class)
@DirtiesContext
class KubernetesSyncTest {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final String ISTIO = "networking.istio.io/v1alpha3";

    @TempDir
    static Path data;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        EmbeddedRuntimeProperties.register(registry, data, "kube-sync-password");
        ClusterModeTestConfiguration.register(registry);
    }

    @Autowired
    MeshRepository repository;

    @Autowired
    SyncLoop loop;

    @Autowired
    CanaryService canary;

    @Autowired
    KubernetesClient kubernetes;

    @Autowired
    ClusterDriftRepair drift;

    @Test
    void theSeedLandsInTheClusterAsTheRepositorysResources() {
        String seed = repository.head("main").orElseThrow();

        SyncStatus status = awaitApplied(seed);

        assertThat(status.messages()).anySatisfy(m -> assertThat(m).startsWith("fleet: applied"))
                .anySatisfy(m -> assertThat(m).startsWith("kubernetes: applied"));
        GenericKubernetesResource route = istio("VirtualService", "helloworld");
        assertThat(route.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "meshpilot");
        assertThat(route.getMetadata().getAnnotations()).containsKey("meshpilot.dev/commit");
        assertThat(istio("Gateway", "helloworld-gateway")).isNotNull();
        assertThat(istio("DestinationRule", "hello")).isNotNull();
        assertThat(kubernetes.apps().deployments().inNamespace("default").list().getItems())
                .extracting(deployment -> deployment.getMetadata().getName()).hasSize(4);
        assertThat(kubernetes.services().inNamespace("default").withName("hello").get()).isNotNull();
    }

    @Test
    void aCanaryCommitChangesTheClustersVirtualService() {
        awaitApplied(repository.head("main").orElseThrow());
        CanaryRoute route = canary.routes().stream()
                .filter(r -> r.virtualService().equals("helloworld-canary")).findFirst().orElseThrow();

        CanaryCommit commit = canary.commit("operator", route, List.of(70, 30));

        assertThat(awaitApplied(commit.commitId()).messages())
                .anySatisfy(m -> assertThat(m).startsWith("kubernetes: applied"));
        GenericKubernetesResource live = istio("VirtualService", "helloworld-canary");
        assertThat(live.getMetadata().getAnnotations()).containsEntry("meshpilot.dev/commit", commit.commitId());
        assertThat(kubernetes.getKubernetesSerialization().asJson(live.getAdditionalProperties().get("spec")))
                .contains("\"weight\":70", "\"weight\":30").doesNotContain("\"weight\":90");
        HasMetadata unchanged = istio("Gateway", "helloworld-gateway");
        assertThat(unchanged.getMetadata().getAnnotations()).as("objects the commit did not change keep their commit")
                .doesNotContainEntry("meshpilot.dev/commit", commit.commitId());
    }

    @Test
    void aChangeMadeInTheClusterBehindGitsBackIsWrittenBack() {
        awaitApplied(repository.head("main").orElseThrow());
        await("drift watch synced", () -> drift.watching() ? Optional.of(true) : Optional.empty());
        GenericKubernetesResource hijacked = istio("VirtualService", "helloworld");
        hijacked.getAdditionalProperties().put("spec", Map.of("hosts", List.of("hijacked.example.com")));

        kubernetes.resource(hijacked).update();

        await("route written back", () -> Optional.of(spec(istio("VirtualService", "helloworld")))
                .filter(spec -> spec.contains("helloworld-gateway")));
        assertThat(spec(istio("VirtualService", "helloworld"))).doesNotContain("hijacked");
    }

    private String spec(GenericKubernetesResource object) {
        return kubernetes.getKubernetesSerialization().asJson(object.getAdditionalProperties().get("spec"));
    }

    private SyncStatus awaitApplied(String commitId) {
        SyncStatus status = await("commit " + commitId + " synced", () -> loop.statusOf(commitId));
        assertThat(status.state()).as(status.messages().toString()).isEqualTo(SyncState.APPLIED);
        return status;
    }

    private GenericKubernetesResource istio(String kind, String name) {
        GenericKubernetesResource object = kubernetes.genericKubernetesResources(ISTIO, kind).inNamespace("default")
                .withName(name).get();
        assertThat(object).as(kind + " default/" + name).isNotNull();
        return object;
    }

    private static <T> T await(String what, Supplier<Optional<T>> probe) {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(what + ": not within " + TIMEOUT);
    }
}
