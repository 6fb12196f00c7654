package dev.meshpilot.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.CompileResult;
import dev.meshpilot.policy.MeshCompiler;
import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.Severity;
import dev.meshpilot.policy.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The tutorial's YAML (copied to src/test/resources/tutorial) compiled by the policy-engine. */
public final class Tutorial {

    private Tutorial() {}

    public static MeshSnapshot snapshot(String version, String... files) {
        List<SourceFile> sources = new ArrayList<>();
        for (String file : files) {
            sources.add(new SourceFile(file, read(file)));
        }
        return compile(version, sources);
    }

    public static MeshSnapshot compile(String version, List<SourceFile> sources) {
        CompileResult result = MeshCompiler.compile(version, sources);
        assertThat(result.findings()).filteredOn(f -> f.severity() == Severity.ERROR).isEmpty();
        return Objects.requireNonNull(result.snapshot(), "snapshot");
    }

    public static String read(String file) {
        try (InputStream in = Tutorial.class.getResourceAsStream("/tutorial/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("file: " + file + " (expected: a file in src/test/resources/tutorial)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
