package dev.meshpilot.sync;

import static dev.meshpilot.sync.Fixtures.ALICE;
import static dev.meshpilot.sync.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.MeshSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plain {@code git push} into the bare mesh repository takes the same path as a console commit. */
class GitPushTest {

    @TempDir
    Path dir;

    MeshRepository repo;
    RecordingTarget fleet = new RecordingTarget("fleet");
    SyncLoop loop;

    @BeforeEach
    void open() {
        repo = MeshRepository.openOrInit(dir.resolve("mesh.git"));
        loop = new SyncLoop(repo, "main", List.of(fleet));
    }

    @AfterEach
    void close() {
        loop.close();
        repo.close();
    }

    @Test
    void aPushedCommitIsSyncedByTheRunningLoop() throws Exception {
        String seed = repo.seed(Fixtures.tutorial(), ALICE, "Seed");
        loop.start();
        await(Duration.ofSeconds(10), "seed applied", () -> loop.statusOf(seed).isPresent());

        Path work = dir.resolve("clone");
        try (Git clone = Git.cloneRepository().setURI(dir.resolve("mesh.git").toUri().toString())
                .setDirectory(work.toFile()).call()) {
            assertThat(clone.getRepository().getBranch()).isEqualTo("main");
            Files.writeString(work.resolve("istio/hello-routing.yaml"), Fixtures.canary(60, 40));
            clone.add().addFilepattern("istio/hello-routing.yaml").call();
            PersonIdent carol = new PersonIdent("Carol Cli", "carol@example.com");
            String pushed = clone.commit().setAuthor(carol).setCommitter(carol).setMessage("Canary 40% from the CLI")
                    .call().name();
            long start = System.nanoTime();
            for (PushResult result : clone.push().setRemote("origin").add("main").call()) {
                assertThat(result.getRemoteUpdates()).allSatisfy(
                        update -> assertThat(update.getStatus()).isEqualTo(RemoteRefUpdate.Status.OK));
            }

            long pushedAt = System.nanoTime();
            await(Duration.ofSeconds(10), "pushed commit applied",
                    () -> loop.live().map(MeshSnapshot::version).orElse("").equals(pushed));
            long end = System.nanoTime();
            System.out.printf("push: %d µs, push done -> applied: %d µs%n", (pushedAt - start) / 1000,
                    (end - pushedAt) / 1000);
            SyncStatus status = loop.statusOf(pushed).orElseThrow();
            assertThat(status.state()).isEqualTo(SyncState.APPLIED);
            assertThat(status.author()).isEqualTo("Carol Cli");
            assertThat(fleet.applied.getLast().files()).filteredOn(f -> f.path().equals("istio/hello-routing.yaml"))
                    .singleElement().satisfies(f -> assertThat(f.content()).contains("weight: 40"));
        }
    }
}
