package dev.meshpilot.console.api;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.sync.SyncLoop;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code GET /api/sync}: the sync history, newest first; {@code GET /api/sync/{commitId}}: one commit. */
@RestController
@RequestMapping("/api/sync")
public class SyncController {

    private final SyncLoop syncLoop;

    public SyncController(SyncLoop syncLoop) {
        this.syncLoop = requireNonNull(syncLoop, "syncLoop");
    }

    @GetMapping
    public List<SyncStatusJson> history() {
        return syncLoop.history().stream().map(SyncStatusJson::of).toList();
    }

    /** Accepts a full commit id or an abbreviation of at least 7 characters. */
    @GetMapping("/{commitId}")
    public SyncStatusJson status(@PathVariable("commitId") String commitId) {
        if (commitId.length() >= 40) {
            return syncLoop.statusOf(commitId).map(SyncStatusJson::of).orElseThrow(() -> notSynced(commitId));
        }
        if (commitId.length() < 7) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "commitId: " + commitId + " (expected: at least 7 hex digits)");
        }
        return syncLoop.history().stream()
                .filter(status -> status.commitId().startsWith(commitId))
                .findFirst()
                .map(SyncStatusJson::of)
                .orElseThrow(() -> notSynced(commitId));
    }

    private static ResponseStatusException notSynced(String commitId) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "commit " + commitId + " has not been synced");
    }
}
