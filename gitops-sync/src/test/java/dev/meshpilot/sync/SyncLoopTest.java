package dev.meshpilot.sync;

import static dev.meshpilot.sync.Fixtures.ALICE;
import static dev.meshpilot.sync.Fixtures.BOB;
import static dev.meshpilot.sync.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpilot.policy.Finding;
import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.Severity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncLoopTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    MeshRepository repo;
    RecordingTarget fleet = new RecordingTarget("fleet");
    RecordingTarget kube = new RecordingTarget("kubernetes");
    SyncLoop loop;
    final Map<String, Long> syncedAtNanos = new ConcurrentHashMap<>();

    @BeforeEach
    void open() {
        repo = MeshRepository.openOrInit(dir.resolve("mesh.git"));
        loop = new SyncLoop(repo, "main", List.of(fleet, kube));
        loop.addListener(status -> syncedAtNanos.put(status.commitId(), System.nanoTime()));
    }

    @AfterEach
    void close() {
        loop.close();
        repo.close();
    }

    @Test
    void appliesEveryNewCommitToEveryTargetSoonAfterItIsCommitted() throws Exception {
        loop.start();
        String seed = repo.seed(Fixtures.tutorial(), ALICE, "Seed the tutorial");
        await(TIMEOUT, "seed applied", () -> loop.statusOf(seed).isPresent());

        long[] micros = new long[5];
        String last = seed;
        for (int i = 0; i < micros.length; i++) {
            long start = System.nanoTime();
            last = repo.commit("main", Map.of("istio/hello-routing.yaml", Fixtures.canary(80 - i, 20 + i)), BOB,
                    "Canary step " + i);
            String id = last;
            await(TIMEOUT, "commit applied", () -> syncedAtNanos.containsKey(id));
            micros[i] = (syncedAtNanos.get(id) - start) / 1000;
        }
        System.out.printf("commit -> applied (µs): %s%n", java.util.Arrays.toString(micros));

        SyncStatus status = loop.statusOf(last).orElseThrow();
        assertThat(status.state()).isEqualTo(SyncState.APPLIED);
        assertThat(status.author()).isEqualTo("Bob Approver");
        assertThat(status.message()).isEqualTo("Canary step 4");
        assertThat(status.messages()).hasSize(2).first().asString().startsWith("fleet: applied in ");
        assertThat(loop.live()).map(MeshSnapshot::version).contains(last);
        assertThat(fleet.versions()).hasSize(6).startsWith(seed).endsWith(last);
        assertThat(kube.versions()).isEqualTo(fleet.versions());
        assertThat(fleet.applied.getLast().files()).isEqualTo(repo.filesAt(last));
        // ~20 ms on an idle 2-core machine; the bound leaves room for a machine shared with other builds
        assertThat(java.util.Arrays.stream(micros).max().orElseThrow()).isLessThan(2_000_000);
    }

    @Test
    void rejectsACommitThatRoutesToAnUndefinedSubsetAndKeepsTheLiveSnapshot() {
        String seed = repo.seed(Fixtures.tutorial(), ALICE, "Seed");
        assertThat(loop.syncNow().state()).isEqualTo(SyncState.APPLIED);

        String bad = repo.commit("main", Map.of("istio/hello-routing.yaml", Fixtures.canaryTo("v3", 70, 30)), BOB,
                "Route to v3");
        SyncStatus status = loop.syncNow();

        assertThat(status.commitId()).isEqualTo(bad);
        assertThat(status.state()).isEqualTo(SyncState.REJECTED);
        assertThat(status.findings()).filteredOn(f -> f.severity() == Severity.ERROR).isNotEmpty()
                .anySatisfy(finding -> {
                    assertThat(finding.file()).isEqualTo("istio/hello-routing.yaml");
                    assertThat(finding.line()).isPositive();
                    assertThat(finding.toString()).startsWith("istio/hello-routing.yaml:" + finding.line() + " ")
                            .contains("v3");
                });
        assertThat(loop.live()).map(MeshSnapshot::version).contains(seed);
        assertThat(fleet.versions()).containsExactly(seed);
    }

    @Test
    void rejectsBrokenYamlWithItsFileAndLine() {
        repo.seed(Fixtures.tutorial(), ALICE, "Seed");
        String seed = loop.syncNow().commitId();

        repo.commit("main", Map.of("istio/broken.yaml", "kind: VirtualService\nmetadata:\n  name: [unclosed\n"), BOB,
                "Broken");
        SyncStatus status = loop.syncNow();

        assertThat(status.state()).isEqualTo(SyncState.REJECTED);
        assertThat(status.findings()).extracting(Finding::file).contains("istio/broken.yaml");
        assertThat(status.findings()).filteredOn(f -> "istio/broken.yaml".equals(f.file()))
                .allSatisfy(f -> assertThat(f.line()).isPositive());
        assertThat(loop.live()).map(MeshSnapshot::version).contains(seed);
    }

    @Test
    void aFailingTargetMakesTheCommitFailedUntilItIsRetried() {
        String seed = repo.seed(Fixtures.tutorial(), ALICE, "Seed");
        loop.syncNow();
        fleet.failWith = "gateway did not acknowledge within 5s";

        String next = repo.commit("main", Map.of("istio/hello-routing.yaml", Fixtures.canary(70, 30)), BOB, "30%");
        SyncStatus failed = loop.syncNow();

        assertThat(failed.state()).isEqualTo(SyncState.FAILED);
        assertThat(failed.messages()).containsExactly("fleet: failed: gateway did not acknowledge within 5s",
                "kubernetes: skipped");
        assertThat(loop.live()).map(MeshSnapshot::version).contains(seed);
        assertThat(kube.versions()).containsExactly(seed);

        fleet.failWith = null;
        SyncStatus retried = loop.syncNow();

        assertThat(retried.state()).isEqualTo(SyncState.APPLIED);
        assertThat(loop.live()).map(MeshSnapshot::version).contains(next);
        assertThat(loop.history()).extracting(SyncStatus::commitId).containsExactly(next, seed);
    }

    @Test
    void syncNowDoesNotSyncACommitTwice() {
        repo.seed(Fixtures.tutorial(), ALICE, "Seed");

        SyncStatus first = loop.syncNow();
        SyncStatus second = loop.syncNow();

        assertThat(second).isSameAs(first);
        assertThat(fleet.applied).hasSize(1);
        assertThat(loop.history()).containsExactly(first);
    }

    @Test
    void keepsTheLast200StatusesNewestFirst() {
        String first = repo.seed(Fixtures.tutorial(), ALICE, "Seed");
        loop.syncNow();
        String last = first;
        for (int i = 1; i <= SyncLoop.HISTORY_LIMIT; i++) {
            last = repo.commit("main", Map.of("istio/hello-routing.yaml", Fixtures.canary(100 - i % 100, i % 100)),
                    BOB, "Step " + i);
            loop.syncNow();
        }

        assertThat(loop.history()).hasSize(SyncLoop.HISTORY_LIMIT);
        assertThat(loop.history().getFirst().commitId()).isEqualTo(last);
        assertThat(loop.history().getLast().message()).isEqualTo("Step 1");
        assertThat(loop.statusOf(first)).isEmpty();
    }

    @Test
    void syncNowOnAnEmptyBranchSaysSo() {
        assertThatThrownBy(loop::syncNow).isInstanceOf(IllegalStateException.class)
                .hasMessage("branch main has no commit to sync");
    }

    @Test
    void aRevertCommitBringsBackThePreviousConfiguration() throws Exception {
        loop.start();
        repo.seed(Fixtures.tutorial(), ALICE, "Seed");
        String canary = repo.commit("main", Map.of("istio/hello-routing.yaml", Fixtures.canary(70, 30)), BOB, "30%");
        await(TIMEOUT, "canary applied", () -> loop.live().map(MeshSnapshot::version).orElse("").equals(canary));

        String revert = repo.revert("main", canary, ALICE);

        await(TIMEOUT, "revert applied", () -> loop.live().map(MeshSnapshot::version).orElse("").equals(revert));
        assertThat(fleet.applied.getLast().files())
                .filteredOn(f -> f.path().equals("istio/hello-routing.yaml"))
                .singleElement().satisfies(f -> assertThat(f.content()).isEqualTo(Fixtures.canary(90, 10)));
        assertThat(loop.history().getFirst().message()).isEqualTo("Revert \"30%\"");
    }

    @Test
    void closeStopsTheSyncThread() throws Exception {
        loop.start();
        assertThat(syncThreads()).hasSize(1).allSatisfy(t -> assertThat(t.isDaemon()).isTrue());

        loop.close();

        await(TIMEOUT, "thread gone", () -> syncThreads().isEmpty());
        repo.seed(Fixtures.tutorial(), ALICE, "Seed");
        Thread.sleep(200); // negative check: a running loop syncs within 100 ms
        assertThat(loop.history()).isEmpty();
        assertThatThrownBy(loop::start).isInstanceOf(IllegalStateException.class);
    }

    private static List<Thread> syncThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("meshpilot-sync") && t.isAlive()).toList();
    }
}
