package dev.meshpilot.sync;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.Finding;
import java.time.Instant;
import java.util.List;

/**
 * What happened to one commit of the tracked branch.
 *
 * @param findings every finding of the compilation (errors for REJECTED, warnings otherwise)
 * @param messages one line per target, e.g. {@code fleet: applied in 12 ms} or {@code kubernetes: failed: ...}
 * @param at       when the sync finished
 * @param author   the commit's author name
 * @param message  the commit's subject line
 */
public record SyncStatus(String commitId, SyncState state, List<Finding> findings, List<String> messages, Instant at,
                         String author, String message) {
    public SyncStatus {
        requireNonNull(commitId, "commitId");
        requireNonNull(state, "state");
        findings = List.copyOf(findings);
        messages = List.copyOf(messages);
        requireNonNull(at, "at");
        requireNonNull(author, "author");
        requireNonNull(message, "message");
    }
}
