package dev.meshpilot.console.canary;

import static java.util.Objects.requireNonNull;

/** A canary change the console committed: its id and the message that says what changed. */
public record CanaryCommit(String commitId, String message) {
    public CanaryCommit {
        requireNonNull(commitId, "commitId");
        requireNonNull(message, "message");
    }

    public String shortId() {
        return commitId.length() > 7 ? commitId.substring(0, 7) : commitId;
    }
}
