package dev.meshpilot.sync;

import java.util.List;

/** A change request cannot be merged because it and the target branch changed the same lines. */
public final class MergeConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> paths;

    public MergeConflictException(String branch, String into, List<String> paths) {
        super("merge of " + branch + " into " + into + " conflicts in " + String.join(", ", paths)
                + " (expected: no file changed on both sides in the same place)");
        this.paths = List.copyOf(paths);
    }

    /** Repository-relative paths of the conflicting files. */
    public List<String> paths() {
        return paths;
    }
}
