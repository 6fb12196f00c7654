package dev.meshpilot.sync;

import static dev.meshpilot.sync.Fixtures.ALICE;
import static dev.meshpilot.sync.Fixtures.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpilot.policy.SourceFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshRepositoryTest {

    @TempDir
    Path dir;

    MeshRepository repo;

    @BeforeEach
    void open() {
        repo = MeshRepository.openOrInit(dir.resolve("mesh.git"));
    }

    @AfterEach
    void close() {
        repo.close();
    }

    @Test
    void createsAnEmptyBareRepositoryOnMainThatAcceptsPushesOverHttp() {
        assertThat(repo.isEmpty()).isTrue();
        assertThat(repo.jgit().isBare()).isTrue();
        assertThat(repo.jgit().getConfig().getBoolean("http", "receivepack", false)).isTrue();
        assertThat(repo.head("main")).isEmpty();
        assertThat(dir.resolve("mesh.git/HEAD")).content().contains("refs/heads/main");
    }

    @Test
    void readsBackEveryYamlFileOfACommit() {
        String id = repo.seed(Map.of("apps/hello.yaml", Fixtures.APPS, "istio/gateway.yml", Fixtures.GATEWAY,
                "README.md", "# not config"), ALICE, "Seed the tutorial");

        assertThat(repo.isEmpty()).isFalse();
        assertThat(repo.head("main")).contains(id);
        assertThat(repo.filesAt(id)).containsExactly(
                new SourceFile("apps/hello.yaml", Fixtures.APPS),
                new SourceFile("istio/gateway.yml", Fixtures.GATEWAY));
    }

    @Test
    void commitsAreAuthoredAndCommittedByTheOperator() throws Exception {
        repo.seed(Fixtures.tutorial(), ALICE, "Seed");
        String id = repo.commit("main", Map.of("istio/hello-routing.yaml", Fixtures.canary(70, 30)), BOB,
                "Shift hello canary to 30%\n\nv1 90% → 70%, v2 10% → 30%");

        RevCommit commit = repo.jgit().parseCommit(ObjectId.fromString(id));
        assertThat(commit.getAuthorIdent().getName()).isEqualTo("Bob Approver");
        assertThat(commit.getAuthorIdent().getEmailAddress()).isEqualTo("bob@example.com");
        assertThat(commit.getCommitterIdent().getName()).isEqualTo("Bob Approver");
        assertThat(commit.getShortMessage()).isEqualTo("Shift hello canary to 30%");
        assertThat(commit.getParentCount()).isEqualTo(1);
        assertThat(repo.filesAt(id)).extracting(SourceFile::path)
                .containsExactly("apps/hello.yaml", "istio/gateway.yaml", "istio/hello-routing.yaml");
        assertThat(repo.filesAt(id)).filteredOn(f -> f.path().equals("istio/hello-routing.yaml"))
                .singleElement().extracting(SourceFile::content).asString().contains("weight: 30");
    }

    @Test
    void deletesFilesAndMakesNoCommitWhenNothingChanges() {
        String seed = repo.seed(Fixtures.tutorial(), ALICE, "Seed");
        assertThat(repo.commit("main", Map.of("apps/hello.yaml", Fixtures.APPS), ALICE, "Same")).isEqualTo(seed);

        String id = repo.commit("main", Map.of(), Set.of("istio/gateway.yaml"), ALICE, "Drop the gateway");

        assertThat(id).isNotEqualTo(seed);
        assertThat(repo.filesAt(id)).extracting(SourceFile::path)
                .containsExactly("apps/hello.yaml", "istio/hello-routing.yaml");
    }

    @Test
    void detectsABranchThatMovedWhileTheCommitWasBuilt() throws Exception {
        String seed = repo.seed(Fixtures.tutorial(), ALICE, "Seed");
        String pushed = repo.commit("main", Map.of("istio/hello-routing.yaml", Fixtures.canary(50, 50)), BOB, "50/50");

        // Alice's edit was prepared on the seed, but Bob's commit got there first.
        ObjectId blob;
        try (var inserter = repo.jgit().newObjectInserter()) {
            blob = inserter.insert(org.eclipse.jgit.lib.Constants.OBJ_BLOB, "x: 1\n".getBytes());
            inserter.flush();
        }
        java.util.Map<String, ObjectId> edits = Map.of("istio/extra.yaml", blob);
        assertThatThrownBy(() -> Commits.write(repo, "main", ObjectId.fromString(seed), Map.copyOf(edits), ALICE, "late"))
                .isInstanceOf(ConcurrentChangeException.class)
                .hasMessageContaining("branch main moved to " + pushed)
                .hasMessageContaining("expected: " + seed);
        assertThat(repo.head("main")).contains(pushed);
    }

    @Test
    void refusesToCommitToAMissingBranchOrAnUnsafePath() {
        repo.seed(Fixtures.tutorial(), ALICE, "Seed");

        assertThatThrownBy(() -> repo.commit("feature", Map.of("a.yaml", "a: 1"), ALICE, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("branch: feature (no such branch");
        assertThatThrownBy(() -> repo.commit("main", Map.of("../evil.yaml", "a: 1"), ALICE, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("path: \"../evil.yaml\"");
    }

    @Test
    void revertRestoresTheFilesTheCommitChanged() {
        repo.seed(Fixtures.tutorial(), ALICE, "Seed");
        String canary = repo.commit("main", Map.of("istio/hello-routing.yaml", Fixtures.canary(70, 30),
                "istio/new.yaml", Fixtures.GATEWAY), BOB, "Shift hello canary to 30%");
        String unrelated = repo.commit("main", Map.of("apps/other.yaml", "kind: Namespace\n"), ALICE, "Unrelated");

        String revert = repo.revert("main", canary, ALICE);

        assertThat(repo.head("main")).contains(revert);
        assertThat(repo.filesAt(revert)).extracting(SourceFile::path)
                .containsExactly("apps/hello.yaml", "apps/other.yaml", "istio/gateway.yaml", "istio/hello-routing.yaml");
        assertThat(repo.filesAt(revert)).filteredOn(f -> f.path().equals("istio/hello-routing.yaml"))
                .singleElement().extracting(SourceFile::content).isEqualTo(Fixtures.canary(90, 10));
        assertThat(repo.filesAt(revert)).isNotEqualTo(repo.filesAt(unrelated));
    }

    @Test
    void revertIsTitledAfterTheRevertedCommit() throws Exception {
        repo.seed(Fixtures.tutorial(), ALICE, "Seed");
        String canary = repo.commit("main", Map.of("istio/hello-routing.yaml", Fixtures.canary(70, 30)), BOB,
                "Shift hello canary to 30%");

        RevCommit revert = repo.jgit().parseCommit(ObjectId.fromString(repo.revert("main", canary, ALICE)));

        assertThat(revert.getShortMessage()).isEqualTo("Revert \"Shift hello canary to 30%\"");
        assertThat(revert.getFullMessage()).contains("This reverts commit " + canary);
        assertThat(revert.getAuthorIdent().getName()).isEqualTo("Alice Operator");
    }

    @Test
    void reopensAnExistingRepository() {
        String seed = repo.seed(Fixtures.tutorial(), ALICE, "Seed");
        repo.close();

        repo = MeshRepository.openOrInit(dir.resolve("mesh.git"));

        assertThat(repo.head("main")).contains(seed);
        assertThat(repo.filesAt(seed)).hasSize(3);
    }
}
