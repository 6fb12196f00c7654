package dev.meshpilot.console.api;

import dev.meshpilot.policy.Finding;
import dev.meshpilot.sync.SyncStatus;
import java.time.Instant;
import java.util.List;

/**
 * A {@link SyncStatus} as the REST API shows it; each finding is one sentence
 * ({@code file:line Kind ns/name: field: message}).
 */
public record SyncStatusJson(
        String commitId,
        String state,
        List<String> findings,
        List<String> messages,
        Instant at,
        String author,
        String message) {

    public static SyncStatusJson of(SyncStatus status) {
        return new SyncStatusJson(
                status.commitId(),
                status.state().name(),
                status.findings().stream().map(Finding::toString).toList(),
                List.copyOf(status.messages()),
                status.at(),
                status.author(),
                status.message());
    }
}
