package dev.meshpilot.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.console.runtime.MeshPorts;
import dev.meshpilot.console.runtime.MeshSeed;
import dev.meshpilot.sync.SyncLoop;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole application on random ports with a fresh data directory: plain {@code git} over HTTP into
 * the sync loop and out through the gateway.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class GitPushSyncTest {

    static final String PASSWORD = "test-admin-password";
    private static final String CANARY = "helloworld-v2-canary.yaml";

    @TempDir
    static Path data;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        EmbeddedRuntimeProperties.register(registry, data, PASSWORD);
    }

    @Autowired
    MeshPorts ports;

    @Autowired
    SyncLoop syncLoop;

    @TempDir
    Path work;

    private MeshpilotHttp http;

    @BeforeEach
    void connect() {
        http = new MeshpilotHttp(ports.consolePort(), ports.gatewayPort(), "admin", PASSWORD);
    }

    @Test
    void gitWithoutCredentialsGets401() {
        HttpResponse<String> response = http.console("/git/mesh.git/info/refs?service=git-upload-pack", false);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Basic"));
        assertThat(http.console("/api/sync", false).statusCode()).isEqualTo(401);
    }

    @Test
    void theApiListsTheSyncHistoryNewestFirst() {
        MeshpilotHttp.poll(Duration.ofSeconds(30), () -> syncLoop.history(), history -> !history.isEmpty(),
                "a first sync");

        HttpResponse<String> response = http.console("/api/sync", true);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode history = JsonMapper.shared().readTree(response.body());
        assertThat(history.isArray()).isTrue();
        assertThat(history.get(0).path("commitId").asString()).isEqualTo(syncLoop.history().getFirst().commitId());
        assertThat(history.get(0).path("state").asString()).isIn("APPLIED", "REJECTED", "FAILED");
        assertThat(http.console("/api/sync/0000000", true).statusCode()).isEqualTo(404);
    }

    @Test
    void theRepositoryStartsWithTheSeedCommit() throws Exception {
        try (Git git = cloneMesh()) {
            List<RevCommit> log = new ArrayList<>();
            git.log().call().forEach(log::add);
            RevCommit first = log.getLast();

            assertThat(first.getAuthorIdent().getName()).isEqualTo("Meshpilot");
            assertThat(first.getAuthorIdent().getEmailAddress()).isEqualTo("meshpilot@localhost");
            assertThat(first.getShortMessage()).isEqualTo(MeshSeed.MESSAGE);
        }
        assertThat(Files.readString(data.resolve("users.properties"))).doesNotContain(PASSWORD);
    }

    @Test
    void aPushedCommitIsAppliedAndChangesTrafficThroughTheGateway() throws Exception {
        String commit;
        try (Git git = cloneMesh()) {
            // from the seed's content, whatever other tests pushed before
            commit = editAndPush(git, CANARY, yaml -> MeshSeed.files().get(CANARY).replace("weight: 90", "weight: 0")
                    .replace("weight: 10", "weight: 100"), "Send everything to v2");
        }

        JsonNode status = http.awaitSync(commit);

        assertThat(status.path("state").asString()).as(status.toString()).isEqualTo("APPLIED");
        assertThat(status.path("author").asString()).isEqualTo("Operator");
        MeshpilotHttp.poll(Duration.ofSeconds(20), this::tenRequestsToHello,
                bodies -> bodies.stream().allMatch(body -> body.contains("this is v2")),
                "every response from v2");
    }

    @Test
    void aBrokenPushIsRejectedWithItsReasonAndTheGatewayKeepsTheLiveConfig() throws Exception {
        String live = MeshpilotHttp.poll(Duration.ofSeconds(30), () -> syncLoop.live(), java.util.Optional::isPresent,
                "a live snapshot").value().orElseThrow().version();
        String commit;
        try (Git git = cloneMesh()) {
            commit = editAndPush(git, CANARY, yaml -> yaml.replace("subset: v2", "subset: v3"), "Route to v3");
        }

        JsonNode status = http.awaitSync(commit);

        assertThat(status.path("state").asString()).as(status.toString()).isEqualTo("REJECTED");
        List<String> findings = new ArrayList<>();
        status.path("findings").forEach(finding -> findings.add(finding.asString()));
        assertThat(findings).anySatisfy(finding -> assertThat(finding)
                .matches(CANARY.replace(".", "\\.") + ":\\d+ .*").contains("v3"));
        assertThat(syncLoop.live()).hasValueSatisfying(snapshot -> assertThat(snapshot.version()).isEqualTo(live));
        assertThat(tenRequestsToHello()).allSatisfy(body -> assertThat(body).startsWith("hello"));
    }

    private List<String> tenRequestsToHello() {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = http.gateway("hello.example.com", "/");
            bodies.add(response.statusCode() + " " + response.body());
        }
        return bodies.stream().map(body -> body.startsWith("200 ") ? body.substring(4) : body).toList();
    }

    private Git cloneMesh() throws Exception {
        Path directory = Files.createTempDirectory(work, "clone");
        return Git.cloneRepository()
                .setURI("http://localhost:" + ports.consolePort() + "/git/mesh.git")
                .setCredentialsProvider(credentials())
                .setDirectory(directory.toFile())
                .setBranch("main")
                .call();
    }

    private String editAndPush(Git git, String file, java.util.function.UnaryOperator<String> edit, String message)
            throws Exception {
        Path path = git.getRepository().getWorkTree().toPath().resolve(file);
        String before = Files.readString(path);
        String after = edit.apply(before);
        assertThat(after).as("the edit changes %s", file).isNotEqualTo(before);
        Files.writeString(path, after);
        git.add().addFilepattern(file).call();
        RevCommit commit = git.commit().setAuthor("Operator", "operator@example.com")
                .setCommitter("Operator", "operator@example.com").setMessage(message).call();
        for (PushResult result : git.push().setCredentialsProvider(credentials()).call()) {
            for (RemoteRefUpdate update : result.getRemoteUpdates()) {
                assertThat(update.getStatus()).as(update.toString()).isEqualTo(RemoteRefUpdate.Status.OK);
            }
        }
        return commit.name();
    }

    private static UsernamePasswordCredentialsProvider credentials() {
        return new UsernamePasswordCredentialsProvider("admin", PASSWORD);
    }
}
