package dev.meshpilot.console.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpilot.console.runtime.MeshSeed;
import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.policy.edit.CanaryRoute;
import dev.meshpilot.sync.MeshRepository;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CanaryServiceTest {

    private static final String CANARY = "helloworld-v2-canary.yaml";

    @TempDir
    Path data;

    private MeshRepository repository;
    private CanaryService canary;

    @BeforeEach
    void seed() {
        repository = MeshRepository.openOrInit(data.resolve("mesh.git"));
        MeshSeed.seedIfEmpty(repository, "main");
        canary = new CanaryService(repository, "main");
    }

    @AfterEach
    void close() {
        repository.close();
    }

    @Test
    void listsTheTutorialsCanaryRoute() {
        List<CanaryRoute> routes = canary.routes();

        assertThat(routes).singleElement().satisfies(route -> {
            assertThat(CanaryLabels.title(route)).isEqualTo("hello.example.com via helloworld-gateway");
            assertThat(route.destinations()).extracting(CanaryLabels::destination).containsExactly("v1", "v2");
            assertThat(route.destinations()).extracting(d -> d.weight()).containsExactly(90, 10);
        });
    }

    @Test
    void commitsOnlyTheWeightLinesAuthoredByTheOperator() throws Exception {
        String before = repository.head("main").orElseThrow();

        CanaryCommit commit = canary.commit("alice", canary.routes().getFirst(), List.of(0, 100));

        assertThat(commit.message()).isEqualTo("Canary hello.example.com: v1 90% → 0%, v2 10% → 100%");
        assertThat(repository.head("main")).contains(commit.commitId());
        Map<String, String> old = files(before);
        Map<String, String> now = files(commit.commitId());
        assertThat(now.keySet()).isEqualTo(old.keySet());
        old.forEach((path, content) -> {
            if (!path.equals(CANARY)) {
                assertThat(now.get(path)).as(path).isEqualTo(content);
            }
        });
        assertThat(changedLines(old.get(CANARY), now.get(CANARY)))
                .containsExactly("      weight: 90 ->       weight: 0", "      weight: 10 ->       weight: 100");
        try (RevWalk walk = new RevWalk(repository.jgit())) {
            RevCommit head = walk.parseCommit(ObjectId.fromString(commit.commitId()));
            assertThat(head.getAuthorIdent().getName()).isEqualTo("alice");
            assertThat(head.getAuthorIdent().getEmailAddress()).isEqualTo("alice@meshpilot.local");
        }
        assertThat(canary.routes().getFirst().destinations()).extracting(d -> d.weight()).containsExactly(0, 100);
    }

    @Test
    void refusesWeightsThatDoNotAddUpToOneHundred() {
        CanaryRoute route = canary.routes().getFirst();

        assertThatThrownBy(() -> canary.commit("alice", route, List.of(50, 60)))
                .hasMessage("weights: [50, 60] add up to 110 (expected: 100)");
        assertThatThrownBy(() -> canary.commit("alice", route, List.of(90, 10)))
                .hasMessage("weights: [90, 10] (expected: a change)");
    }

    private Map<String, String> files(String commitId) {
        return repository.filesAt(commitId).stream().collect(Collectors.toMap(SourceFile::path, SourceFile::content));
    }

    private static List<String> changedLines(String before, String after) {
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        assertThat(b).hasSameSizeAs(a);
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equals(b.get(i))) {
                changed.add(a.get(i) + " -> " + b.get(i));
            }
        }
        return changed;
    }
}
