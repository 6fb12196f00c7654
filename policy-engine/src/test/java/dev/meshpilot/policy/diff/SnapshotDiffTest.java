package dev.meshpilot.policy.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.Seed;
import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.policy.edit.RouteWeightEditor;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotDiffTest {
    final SourceFile canary = Seed.canaryRenamed();
    final MeshSnapshot before = Seed.compile(List.of(Seed.file("helloworld.yaml"), Seed.file("helloworld-gw.yaml"),
            Seed.file("helloworld-v2.yaml"), canary));

    @Test
    void describesAWeightChange() {
        SourceFile moved = new SourceFile(canary.path(),
                RouteWeightEditor.setWeights(canary.content(), "helloworld-canary", 0, List.of(70, 30)));
        MeshSnapshot after = Seed.compile(List.of(Seed.file("helloworld.yaml"), Seed.file("helloworld-gw.yaml"),
                Seed.file("helloworld-v2.yaml"), moved));
        assertThat(SnapshotDiff.describe(before, after))
                .containsExactly("hello.example.com via helloworld-gateway: v1 90% → 70%, v2 10% → 30%");
    }

    @Test
    void describesAddedAndRemovedVirtualServicesAndWorkloads() {
        MeshSnapshot after = Seed.compile(Seed.files("helloworld.yaml", "helloworld-gw.yaml", "helloworld-v3.yaml"));
        assertThat(SnapshotDiff.describe(before, after)).contains(
                "VirtualService default/helloworld-v3 added (hello-v3.example.com via helloworld-gateway)",
                "VirtualService default/helloworld-canary removed (hello.example.com via helloworld-gateway)",
                "Deployment default/hello-v3 added (2 replicas, image wardviaene/http-echo)",
                "Deployment default/hello-v2 removed",
                "DestinationRule default/hello: subset v3 added for hello.default.svc.cluster.local");
    }

    @Test
    void describesReplicaChangesAndNothingForEqualSnapshots() {
        SourceFile hello = Seed.file("helloworld.yaml");
        MeshSnapshot after = Seed.compile(List.of(new SourceFile(hello.path(),
                hello.content().replaceFirst("replicas: 3", "replicas: 5")), Seed.file("helloworld-gw.yaml"),
                Seed.file("helloworld-v2.yaml"), canary));
        assertThat(SnapshotDiff.describe(before, after)).containsExactly("Deployment default/hello: replicas 3 → 5");
        assertThat(SnapshotDiff.describe(before, before)).isEmpty();
    }
}
