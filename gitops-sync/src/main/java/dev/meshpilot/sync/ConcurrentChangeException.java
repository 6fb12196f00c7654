package dev.meshpilot.sync;

import org.jspecify.annotations.Nullable;

/**
 * The branch moved while a commit was being built (someone else committed or pushed first). Nothing was written
 * to the branch; reload and try again.
 */
public final class ConcurrentChangeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String branch;

    public ConcurrentChangeException(String branch, @Nullable String expected, @Nullable String actual) {
        super("branch " + branch + " moved to " + (actual == null ? "nothing" : actual)
                + " (expected: " + (expected == null ? "no branch yet" : expected) + "); reload and try again");
        this.branch = branch;
    }

    public String branch() {
        return branch;
    }
}
