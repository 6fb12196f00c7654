package dev.meshpilot.sync;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * An open change request: a branch whose commits are not yet in the base branch.
 *
 * @param branch       the change request's branch
 * @param head         the branch's commit id
 * @param base         the merge base with the base branch (where the change request started)
 * @param changedFiles repository-relative paths the change request changes relative to {@code base}
 * @param author       author name of the branch's newest commit
 * @param subject      subject line of the branch's newest commit
 */
public record ChangeRequest(String branch, String head, String base, List<String> changedFiles, String author,
                            String subject) {
    public ChangeRequest {
        requireNonNull(branch, "branch");
        requireNonNull(head, "head");
        requireNonNull(base, "base");
        changedFiles = List.copyOf(changedFiles);
        requireNonNull(author, "author");
        requireNonNull(subject, "subject");
    }
}
