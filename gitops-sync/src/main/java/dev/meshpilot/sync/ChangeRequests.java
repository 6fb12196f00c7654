package dev.meshpilot.sync;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ResolveMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.jspecify.annotations.Nullable;

/**
 * Change requests are branches of the mesh repository: created from the base branch, committed to with
 * {@link MeshRepository#commit}, reviewed with their changed files, merged into the base branch and deleted.
 */
public final class ChangeRequests {

    private final MeshRepository mesh;
    private final String baseBranch;

    /** Change requests against {@code main}. */
    public ChangeRequests(MeshRepository mesh) {
        this(mesh, MeshRepository.MAIN);
    }

    public ChangeRequests(MeshRepository mesh, String baseBranch) {
        this.mesh = requireNonNull(mesh, "mesh");
        this.baseBranch = requireNonNull(baseBranch, "baseBranch");
    }

    /** Creates the branch at the base branch's head and returns that commit id. */
    public String create(String branch) {
        requireNonNull(branch, "branch");
        if (branch.equals(baseBranch) || !Repository.isValidRefName(Constants.R_HEADS + branch)) {
            throw new IllegalArgumentException("branch: \"" + branch + "\" (expected: a valid branch name other than "
                    + baseBranch + ")");
        }
        ObjectId base = requireHead(baseBranch);
        if (mesh.headId(branch) != null) {
            throw new IllegalArgumentException("branch: " + branch + " (already exists)");
        }
        try {
            Commits.moveBranch(mesh.jgit(), branch, null, base, "branch: created from " + baseBranch);
            return base.name();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every branch other than the base branch that has commits the base branch lacks, by branch name. */
    public List<ChangeRequest> open() {
        Repository repository = mesh.jgit();
        ObjectId baseHead = requireHead(baseBranch);
        List<ChangeRequest> open = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repository)) {
            for (Ref ref : repository.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                String branch = ref.getName().substring(Constants.R_HEADS.length());
                if (branch.equals(baseBranch) || ref.getObjectId() == null) {
                    continue;
                }
                RevCommit head = walk.parseCommit(ref.getObjectId());
                RevCommit mainHead = walk.parseCommit(baseHead);
                if (walk.isMergedInto(head, mainHead)) {
                    continue;
                }
                RevCommit base = mergeBase(walk, head, mainHead);
                List<String> changed = List.copyOf(Commits.changedPaths(repository, base, head).keySet());
                open.add(new ChangeRequest(branch, head.name(), base == null ? ObjectId.zeroId().name() : base.name(),
                        changed, head.getAuthorIdent().getName(), head.getShortMessage()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(open);
    }

    /**
     * Merges the branch into the base branch (fast-forward when the base branch has not moved, otherwise a merge
     * commit by {@code author}) and returns the base branch's new head.
     *
     * @throws MergeConflictException   when both sides changed the same lines
     * @throws ConcurrentChangeException when the base branch moved during the merge
     */
    public String merge(String branch, Author author) {
        requireNonNull(author, "author");
        Repository repository = mesh.jgit();
        ObjectId baseHead = requireHead(baseBranch);
        ObjectId head = requireHead(branch);
        try (RevWalk walk = new RevWalk(repository); ObjectInserter inserter = repository.newObjectInserter()) {
            RevCommit theirs = walk.parseCommit(head);
            RevCommit ours = walk.parseCommit(baseHead);
            if (walk.isMergedInto(theirs, ours)) {
                return ours.name();
            }
            walk.reset();
            if (walk.isMergedInto(ours, theirs)) {
                Commits.moveBranch(repository, baseBranch, ours, theirs, "merge " + branch + ": fast-forward");
                return theirs.name();
            }
            ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(repository, true);
            if (!merger.merge(ours, theirs)) {
                List<String> paths = merger.getUnmergedPaths().isEmpty()
                        ? List.copyOf(merger.getFailingPaths() == null ? List.of() : merger.getFailingPaths().keySet())
                        : merger.getUnmergedPaths();
                throw new MergeConflictException(branch, baseBranch, paths);
            }
            ObjectId id = Commits.insertCommit(inserter, merger.getResultTreeId(), author,
                    "Merge change request '" + branch + "' into " + baseBranch + "\n\n" + theirs.getShortMessage(),
                    ours, theirs);
            Commits.moveBranch(repository, baseBranch, ours, id, "merge " + branch);
            return id.name();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot merge " + branch + " into " + baseBranch, e);
        }
    }

    /** Deletes the branch (merged or abandoned). Returns false when it did not exist. */
    public boolean delete(String branch) {
        requireNonNull(branch, "branch");
        if (branch.equals(baseBranch)) {
            throw new IllegalArgumentException("branch: " + branch + " (expected: not the base branch)");
        }
        ObjectId head = mesh.headId(branch);
        if (head == null) {
            return false;
        }
        try {
            RefUpdate update = mesh.jgit().updateRef(Constants.R_HEADS + branch);
            update.setExpectedOldObjectId(head);
            update.setForceUpdate(true);
            RefUpdate.Result result = update.delete();
            if (result != RefUpdate.Result.FORCED && result != RefUpdate.Result.FAST_FORWARD) {
                throw new ConcurrentChangeException(branch, head.name(), mesh.head(branch).orElse(null));
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectId requireHead(String branch) {
        ObjectId head = mesh.headId(branch);
        if (head == null) {
            throw new IllegalArgumentException("branch: " + branch + " (no such branch)");
        }
        return head;
    }

    private static @Nullable RevCommit mergeBase(RevWalk walk, RevCommit a, RevCommit b) throws IOException {
        walk.reset();
        walk.setRevFilter(RevFilter.MERGE_BASE);
        walk.markStart(a);
        walk.markStart(b);
        RevCommit base = walk.next();
        walk.reset();
        walk.setRevFilter(RevFilter.ALL);
        return base;
    }
}
