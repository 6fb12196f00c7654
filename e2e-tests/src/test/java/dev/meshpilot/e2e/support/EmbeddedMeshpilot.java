package dev.meshpilot.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh embedded Meshpilot for each test — {@code ./meshpilot up} on free ports with a new data directory — and
 * the operator's clone of its mesh repository. Register it on a test class:
 *
 * <pre>
 * &#64;RegisterExtension
 * final EmbeddedMeshpilot mesh = new EmbeddedMeshpilot();
 * </pre>
 *
 * It starts before the class's own {@code @BeforeEach} methods (which may push already) and stops, with its
 * directories removed, after the test.
 */
public final class EmbeddedMeshpilot implements BeforeEachCallback, AfterEachCallback {

    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);

    private @Nullable Path workDir;
    private @Nullable MeshpilotUnderTest meshpilot;
    private @Nullable MeshClone clone;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        workDir = Files.createTempDirectory("meshpilot-e2e-");
        meshpilot = MeshpilotUnderTest.start(workDir.resolve("data"));
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            if (clone != null) {
                clone.close();
            }
            if (meshpilot != null) {
                meshpilot.close();
            }
        } finally {
            clone = null;
            meshpilot = null;
            if (workDir != null) {
                deleteTree(workDir);
            }
        }
    }

    public MeshpilotUnderTest meshpilot() {
        if (meshpilot == null) {
            throw new IllegalStateException("Meshpilot runs only during a test (register with @RegisterExtension)");
        }
        return meshpilot;
    }

    public GatewayClient gateway() {
        return meshpilot().gateway();
    }

    /** The operator's clone of the mesh repository, made on first use and kept for the test. */
    public MeshClone clone() {
        if (clone == null) {
            clone = meshpilot().cloneInto(workDir.resolve("clone"));
        }
        return clone;
    }

    /**
     * Writes {@code files}, deletes {@code deleted}, commits and pushes as the operator (see
     * {@link MeshClone#commitAndPush(String, Map, Collection)}) and waits until the sync loop has applied the commit;
     * returns its id.
     */
    public String pushAndAwaitApplied(String message, Map<String, String> files, Collection<String> deleted) {
        String commit = clone().commitAndPush(message, files, deleted);
        SyncApi.of(meshpilot()).awaitApplied(commit, SYNC_TIMEOUT);
        return commit;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete " + path, e);
                }
            });
        }
    }
}
