package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.Finding;
import dev.meshpilot.policy.Severity;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Collects the findings of one compilation. Not thread-safe; one per compilation. */
public final class Findings {
    private final List<Finding> all = new ArrayList<>();

    public void add(String code, Severity severity, @Nullable String file, int line, @Nullable String resource,
            @Nullable String field, String message) {
        all.add(new Finding(code, severity, file, line, resource, field, message));
    }

    public void error(String code, Resource r, int line, @Nullable String field, String message) {
        add(code, Severity.ERROR, r.file(), line, r.id(), field, message);
    }

    public void warn(String code, Resource r, int line, @Nullable String field, String message) {
        add(code, Severity.WARNING, r.file(), line, r.id(), field, message);
    }

    public boolean hasErrors() {
        return all.stream().anyMatch(f -> f.severity() == Severity.ERROR);
    }

    public List<Finding> list() {
        return List.copyOf(all);
    }
}
