package dev.meshpilot.sync;

import static dev.meshpilot.sync.Fixtures.ALICE;
import static dev.meshpilot.sync.Fixtures.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpilot.policy.SourceFile;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeRequestsTest {

    @TempDir
    Path dir;

    MeshRepository repo;
    ChangeRequests changes;
    String seed;

    @BeforeEach
    void open() {
        repo = MeshRepository.openOrInit(dir.resolve("mesh.git"));
        changes = new ChangeRequests(repo);
        seed = repo.seed(Fixtures.tutorial(), ALICE, "Seed");
    }

    @AfterEach
    void close() {
        repo.close();
    }

    @Test
    void listsAnOpenChangeRequestWithTheFilesItChanges() {
        assertThat(changes.create("canary-30")).isEqualTo(seed);
        assertThat(changes.open()).isEmpty();

        String head = repo.commit("canary-30", Map.of("istio/hello-routing.yaml", Fixtures.canary(70, 30)), ALICE,
                "Shift hello canary to 30%");
        repo.commit("main", Map.of("apps/other.yaml", "kind: Namespace\n"), BOB, "Unrelated on main");

        assertThat(changes.open()).containsExactly(new ChangeRequest("canary-30", head, seed,
                java.util.List.of("istio/hello-routing.yaml"), "Alice Operator", "Shift hello canary to 30%"));
    }

    @Test
    void mergeFastForwardsWhenMainDidNotMove() {
        changes.create("canary-30");
        String head = repo.commit("canary-30", Map.of("istio/hello-routing.yaml", Fixtures.canary(70, 30)), ALICE, "30%");

        assertThat(changes.merge("canary-30", BOB)).isEqualTo(head);

        assertThat(repo.head("main")).contains(head);
        assertThat(changes.open()).isEmpty();
        assertThat(changes.delete("canary-30")).isTrue();
        assertThat(repo.head("canary-30")).isEmpty();
        assertThat(changes.delete("canary-30")).isFalse();
    }

    @Test
    void mergeCreatesAMergeCommitWhenMainMoved() throws Exception {
        changes.create("canary-30");
        String head = repo.commit("canary-30", Map.of("istio/hello-routing.yaml", Fixtures.canary(70, 30)), ALICE, "30%");
        String other = repo.commit("main", Map.of("apps/other.yaml", "kind: Namespace\n"), ALICE, "Unrelated");

        String merged = changes.merge("canary-30", BOB);

        RevCommit merge = repo.jgit().parseCommit(ObjectId.fromString(merged));
        assertThat(merge.getParents()).extracting(RevCommit::name).containsExactly(other, head);
        assertThat(merge.getAuthorIdent().getName()).isEqualTo("Bob Approver");
        assertThat(merge.getShortMessage()).isEqualTo("Merge change request 'canary-30' into main");
        assertThat(repo.filesAt(merged)).extracting(SourceFile::path).contains("apps/other.yaml");
        assertThat(repo.filesAt(merged)).filteredOn(f -> f.path().equals("istio/hello-routing.yaml"))
                .singleElement().extracting(SourceFile::content).isEqualTo(Fixtures.canary(70, 30));
    }

    @Test
    void mergeFailsClearlyOnAConflictAndLeavesMainAlone() {
        changes.create("canary-30");
        repo.commit("canary-30", Map.of("istio/hello-routing.yaml", Fixtures.canary(70, 30)), ALICE, "30%");
        String main = repo.commit("main", Map.of("istio/hello-routing.yaml", Fixtures.canary(50, 50)), BOB, "50%");

        assertThatThrownBy(() -> changes.merge("canary-30", BOB))
                .isInstanceOf(MergeConflictException.class)
                .hasMessage("merge of canary-30 into main conflicts in istio/hello-routing.yaml"
                        + " (expected: no file changed on both sides in the same place)");
        assertThat(repo.head("main")).contains(main);
    }

    @Test
    void refusesBadBranchNames() {
        assertThatThrownBy(() -> changes.create("main")).hasMessageContaining("branch: \"main\"");
        assertThatThrownBy(() -> changes.create("bad..name")).hasMessageContaining("branch: \"bad..name\"");
        changes.create("x");
        assertThatThrownBy(() -> changes.create("x")).hasMessage("branch: x (already exists)");
        assertThatThrownBy(() -> changes.delete("main")).hasMessageContaining("not the base branch");
    }
}
