package dev.meshpilot.policy;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Outcome of {@link MeshCompiler#compile}: a snapshot when no finding is an {@link Severity#ERROR},
 * and every finding either way.
 */
public record CompileResult(@Nullable MeshSnapshot snapshot, List<Finding> findings) {
    public CompileResult {
        findings = List.copyOf(findings);
    }

    public boolean accepted() {
        return snapshot != null;
    }

    public List<Finding> errors() {
        return findings.stream().filter(f -> f.severity() == Severity.ERROR).toList();
    }
}
