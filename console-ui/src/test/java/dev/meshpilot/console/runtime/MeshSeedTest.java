package dev.meshpilot.console.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeshSeedTest {

    @Test
    void theSeedIsTheDeployModulesMeshRepositoryByteForByte() throws Exception {
        Map<String, String> files = MeshSeed.files();

        Path source = Path.of("../deploy/mesh-repo");
        try (var listing = Files.list(source)) {
            assertThat(files.keySet()).containsExactlyInAnyOrderElementsOf(listing
                    .filter(path -> path.toString().endsWith(".yaml"))
                    .map(path -> path.getFileName().toString())
                    .toList());
        }
        files.forEach((name, content) -> assertThat(content.getBytes(StandardCharsets.UTF_8))
                .as(name).isEqualTo(readBytes(source.resolve(name))));
    }

    private static byte[] readBytes(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
