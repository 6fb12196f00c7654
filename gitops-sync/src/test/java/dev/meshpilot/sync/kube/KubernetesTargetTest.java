package dev.meshpilot.sync.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.sync.Fixtures;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubernetesTargetTest {

    static final String VS = "networking.istio.io/v1alpha3";
    static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(10);

    KubernetesClient client;
    KubernetesTarget target;

    @BeforeEach
    void setUp() {
        IstioCrds.install(client);
        target = new KubernetesTarget(client, KubeApplier.createOrReplace());
    }

    @Test
    void appliesEveryObjectMakeBeforeBreakLabelledWithTheCommit() {
        KubeApplyResult result = target.sync("c1", files(Fixtures.tutorial()));

        assertThat(result.created()).containsExactly("Service default/hello", "Deployment default/hello",
                "Deployment default/hello-v2", "DestinationRule default/hello", "Gateway default/helloworld-gateway",
                "VirtualService default/helloworld");
        assertThat(result.updated()).isEmpty();
        assertThat(result.pruned()).isEmpty();
        GenericKubernetesResource route = virtualService("helloworld");
        assertThat(route.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "meshpilot");
        assertThat(route.getMetadata().getAnnotations()).containsEntry("meshpilot.dev/commit", "c1");
        assertThat(client.apps().deployments().inNamespace("default").withName("hello-v2").get()
                .getSpec().getTemplate().getMetadata().getLabels()).containsEntry("version", "v2");
        assertThat(target.lastResult()).contains(result);
    }

    @Test
    void aSecondApplyWritesOnlyWhatChanged() {
        target.sync("c1", files(Fixtures.tutorial()));
        String ruleVersion = destinationRule("hello").getMetadata().getResourceVersion();
        String serviceVersion = client.services().inNamespace("default").withName("hello").get()
                .getMetadata().getResourceVersion();

        Map<String, String> next = new java.util.LinkedHashMap<>(Fixtures.tutorial());
        next.put("istio/hello-routing.yaml", Fixtures.canary(70, 30));
        KubeApplyResult result = target.sync("c2", files(next));

        assertThat(result.updated()).containsExactly("VirtualService default/helloworld");
        assertThat(result.created()).isEmpty();
        assertThat(result.unchanged()).hasSize(5).contains("DestinationRule default/hello");
        assertThat(destinationRule("hello").getMetadata().getResourceVersion()).isEqualTo(ruleVersion);
        assertThat(destinationRule("hello").getMetadata().getAnnotations()).containsEntry("meshpilot.dev/commit", "c1");
        assertThat(client.services().inNamespace("default").withName("hello").get().getMetadata()
                .getResourceVersion()).isEqualTo(serviceVersion);
        GenericKubernetesResource route = virtualService("helloworld");
        assertThat(route.getMetadata().getAnnotations()).containsEntry("meshpilot.dev/commit", "c2");
        assertThat(spec(route)).contains("\"weight\":30").contains("\"weight\":70");
    }

    @Test
    void prunesManagedObjectsGitNoLongerHasRoutesFirstAndLeavesOthersAlone() {
        client.genericKubernetesResources(VS, "VirtualService").inNamespace("default").resource(
                new GenericKubernetesResourceBuilder().withApiVersion(VS).withKind("VirtualService")
                        .withNewMetadata().withName("by-hand").withNamespace("default").endMetadata()
                        .addToAdditionalProperties("spec", Map.of("hosts", List.of("x.example.com"))).build())
                .create();
        target.sync("c1", files(Fixtures.tutorial()));

        Map<String, String> withoutRouting = new java.util.LinkedHashMap<>(Fixtures.tutorial());
        withoutRouting.remove("istio/hello-routing.yaml");
        KubeApplyResult result = target.sync("c2", files(withoutRouting));

        assertThat(result.pruned()).containsExactly("VirtualService default/helloworld",
                "DestinationRule default/hello");
        assertThat(virtualService("helloworld")).isNull();
        assertThat(destinationRule("hello")).isNull();
        assertThat(virtualService("by-hand")).isNotNull();
        assertThat(client.apps().deployments().inNamespace("default").withName("hello").get()).isNotNull();
    }

    @Test
    void recreatesAnObjectDeletedBehindItsBack() {
        target.sync("c1", files(Fixtures.tutorial()));
        client.genericKubernetesResources(VS, "VirtualService").inNamespace("default").withName("helloworld").delete();

        KubeApplyResult result = target.sync("c1", files(Fixtures.tutorial()));

        assertThat(result.created()).containsExactly("VirtualService default/helloworld");
        assertThat(virtualService("helloworld")).isNotNull();
    }

    @Test
    void repairsObjectsChangedOrDeletedBehindItsBack() throws Exception {
        target.sync("c1", files(Fixtures.tutorial()));
        List<String> repaired = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (DriftWatch watch = target.watchDrift(repaired::addAll)) {
            Fixtures.await(TIMEOUT, "informers synced", watch::synced);

            GenericKubernetesResource edited = virtualService("helloworld");
            edited.getAdditionalProperties().put("spec", Map.of("hosts", List.of("hijacked.example.com")));
            client.resource(edited).update();
            client.genericKubernetesResources(VS, "DestinationRule").inNamespace("default").withName("hello").delete();

            Fixtures.await(TIMEOUT, "route repaired", () -> spec(virtualService("helloworld")).contains("\"weight\":90"));
            Fixtures.await(TIMEOUT, "rule recreated", () -> destinationRule("hello") != null);
            // the watch reports a repair after writing it: wait for the report, not only for the object
            Fixtures.await(TIMEOUT, "repairs reported", () -> repaired.containsAll(
                    List.of("VirtualService default/helloworld", "DestinationRule default/hello")));
            assertThat(virtualService("helloworld").getMetadata().getAnnotations())
                    .containsEntry("meshpilot.dev/commit", "c1");
        }
    }

    @Test
    void ownWritesAreNotMistakenForDrift() throws Exception {
        target.sync("c1", files(Fixtures.tutorial()));
        List<String> repaired = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (DriftWatch watch = target.watchDrift(repaired::addAll)) {
            Fixtures.await(TIMEOUT, "informers synced", watch::synced);
            Map<String, String> next = new java.util.LinkedHashMap<>(Fixtures.tutorial());
            next.put("istio/hello-routing.yaml", Fixtures.canary(70, 30));

            target.sync("c2", files(next));

            Thread.sleep(500); // negative check: a repair runs 100 ms after an event
            assertThat(repaired).isEmpty();
            assertThat(spec(virtualService("helloworld"))).contains("\"weight\":30");
        }
    }

    private String spec(GenericKubernetesResource object) {
        return client.getKubernetesSerialization().asJson(object.getAdditionalProperties().get("spec"));
    }

    private GenericKubernetesResource virtualService(String name) {
        return client.genericKubernetesResources(VS, "VirtualService").inNamespace("default").withName(name).get();
    }

    private GenericKubernetesResource destinationRule(String name) {
        return client.genericKubernetesResources(VS, "DestinationRule").inNamespace("default").withName(name).get();
    }

    static List<SourceFile> files(Map<String, String> files) {
        return files.entrySet().stream().map(e -> new SourceFile(e.getKey(), e.getValue())).toList();
    }
}
