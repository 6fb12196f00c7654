package dev.meshpilot.policy.workload;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One container environment variable: a literal {@code value} (may contain {@code $(VAR)} references,
 * expanded by the runtime) or a {@code fieldRef} path such as {@code metadata.name}.
 */
public record EnvVar(String name, @Nullable String value, @Nullable String fieldRef) {
    public EnvVar {
        requireNonNull(name, "name");
    }
}
