package dev.meshpilot.console.runtime;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.sync.Author;
import dev.meshpilot.sync.MeshRepository;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The tutorial's starting point: the YAML files of the classpath folder {@code mesh-seed/} (copied from
 * {@code deploy/mesh-repo} at build time), committed byte for byte into an empty repository.
 */
public final class MeshSeed {

    public static final String LOCATION = "classpath*:mesh-seed/*.yaml";
    public static final Author AUTHOR = new Author("Meshpilot", "meshpilot@localhost");
    public static final String MESSAGE = "Seed the tutorial's starting point";

    private MeshSeed() {}

    /** The seed files by repository-relative path. */
    public static Map<String, String> files() {
        Map<String, String> files = new TreeMap<>();
        try {
            for (Resource resource : new PathMatchingResourcePatternResolver().getResources(LOCATION)) {
                String name = requireNonNull(resource.getFilename(), "filename");
                try (InputStream in = resource.getInputStream()) {
                    files.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LOCATION, e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no seed files at " + LOCATION);
        }
        return files;
    }

    /** Commits the seed on {@code branch} when the repository is empty; returns the new commit id. */
    public static Optional<String> seedIfEmpty(MeshRepository repository, String branch) {
        if (!repository.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(repository.commit(branch, files(), AUTHOR, MESSAGE));
    }
}
