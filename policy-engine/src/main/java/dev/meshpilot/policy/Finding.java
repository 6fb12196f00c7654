package dev.meshpilot.policy;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One result of analysis: what is wrong, where and why, in a sentence a user can act on.
 *
 * @param code     stable identifier, e.g. {@code MP0101} (see the policy-engine README)
 * @param file     repository-relative path of the file, or {@code null} when not tied to one
 * @param line     1-based line of the offending node, 0 when unknown
 * @param resource {@code Kind namespace/name}, or {@code null}
 * @param field    field path such as {@code spec.http[0].route[1].destination.subset}, or {@code null}
 */
public record Finding(
        String code,
        Severity severity,
        @Nullable String file,
        int line,
        @Nullable String resource,
        @Nullable String field,
        String message) {

    public Finding {
        requireNonNull(code, "code");
        requireNonNull(severity, "severity");
        requireNonNull(message, "message");
    }

    /** {@code helloworld-v2-routing.yaml:14 VirtualService default/helloworld: subset "v3" is not defined ...}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        if (file != null) {
            out.append(file);
            if (line > 0) {
                out.append(':').append(line);
            }
            out.append(' ');
        }
        if (resource != null) {
            out.append(resource).append(": ");
        }
        if (field != null) {
            out.append(field).append(": ");
        }
        return out.append(message).toString();
    }
}
