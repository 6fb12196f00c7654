package dev.meshpilot.policy;

import static java.util.Objects.requireNonNull;

/** One YAML file of the mesh repository: its path relative to the repository root and its text. */
public record SourceFile(String path, String content) {
    public SourceFile {
        requireNonNull(path, "path");
        requireNonNull(content, "content");
    }
}
