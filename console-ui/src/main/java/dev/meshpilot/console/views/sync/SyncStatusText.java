package dev.meshpilot.console.views.sync;

import dev.meshpilot.policy.Finding;
import dev.meshpilot.sync.SyncStatus;
import java.util.ArrayList;
import java.util.List;

/** One-line descriptions of sync results, as the views show them. */
public final class SyncStatusText {

    private SyncStatusText() {}

    public static String shortId(String commitId) {
        return commitId.length() > 7 ? commitId.substring(0, 7) : commitId;
    }

    /**
     * {@code 1a2b3c4 APPLIED}, {@code 1a2b3c4 REJECTED: file:line resource: message; ...} or
     * {@code 1a2b3c4 FAILED: message}.
     */
    public static String describe(SyncStatus status) {
        List<String> reasons = reasons(status);
        String head = shortId(status.commitId()) + " " + status.state().name();
        return switch (status.state()) {
            case APPLIED -> head;
            case REJECTED, FAILED -> reasons.isEmpty() ? head : head + ": " + String.join("; ", reasons);
        };
    }

    /** The findings (as {@code file:line resource: message}) and then the messages of a status. */
    public static List<String> reasons(SyncStatus status) {
        List<String> reasons = new ArrayList<>();
        status.findings().stream().map(Finding::toString).forEach(reasons::add);
        reasons.addAll(status.messages());
        return reasons;
    }
}
