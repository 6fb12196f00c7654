package dev.meshpilot.sync;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEditor.DeletePath;
import org.eclipse.jgit.dircache.DirCacheEditor.PathEdit;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.jspecify.annotations.Nullable;

/** In-memory commit building and ref updates shared by {@link MeshRepository} and {@link ChangeRequests}. */
final class Commits {

    private Commits() {}

    /**
     * Applies path edits (blob id, or {@code null} to delete) to the tree of {@code parent} and moves the branch
     * from {@code parent} to the new commit. Returns {@code parent} unchanged when the tree does not change.
     */
    static String write(MeshRepository mesh, String branch, @Nullable ObjectId parent,
                        Map<String, @Nullable ObjectId> edits, Author author, String message) {
        requireNonNull(branch, "branch");
        requireNonNull(author, "author");
        requireNonNull(message, "message");
        Repository repository = mesh.jgit();
        if (parent == null && !mesh.isEmpty()) {
            throw new IllegalArgumentException("branch: " + branch
                    + " (no such branch; expected: an existing branch, or create a change request first)");
        }
        try (ObjectInserter inserter = repository.newObjectInserter(); RevWalk walk = new RevWalk(repository)) {
            DirCache index = parent == null
                    ? DirCache.newInCore()
                    : DirCache.read(walk.getObjectReader(), walk.parseCommit(parent).getTree());
            DirCacheEditor editor = index.editor();
            for (Map.Entry<String, @Nullable ObjectId> edit : edits.entrySet()) {
                String path = checkPath(edit.getKey());
                ObjectId blob = edit.getValue();
                editor.add(blob == null ? new DeletePath(path) : new PathEdit(path) {
                    @Override
                    public void apply(DirCacheEntry entry) {
                        entry.setFileMode(FileMode.REGULAR_FILE);
                        entry.setObjectId(blob);
                    }
                });
            }
            editor.finish();
            ObjectId tree = index.writeTree(inserter);
            if (parent != null && tree.equals(walk.parseCommit(parent).getTree())) {
                return parent.name();
            }
            ObjectId id = parent == null
                    ? insertCommit(inserter, tree, author, message)
                    : insertCommit(inserter, tree, author, message, parent);
            moveBranch(repository, branch, parent, id, "commit: " + firstLine(message));
            return id.name();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit to " + branch, e);
        }
    }

    /** Writes a commit authored and committed by {@code author} and flushes the inserter. */
    static ObjectId insertCommit(ObjectInserter inserter, ObjectId tree, Author author, String message,
                                 ObjectId... parents) throws IOException {
        PersonIdent ident = author.ident();
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        commit.setParentIds(parents);
        commit.setAuthor(ident);
        commit.setCommitter(ident);
        commit.setMessage(message.endsWith("\n") ? message : message + "\n");
        ObjectId id = inserter.insert(commit);
        inserter.flush();
        return id;
    }

    /** Moves (or creates, when {@code expected} is null) the branch; detects a concurrent update. */
    static void moveBranch(Repository repository, String branch, @Nullable ObjectId expected, ObjectId to,
                           String reflog) throws IOException {
        RefUpdate update = repository.updateRef(Constants.R_HEADS + branch);
        update.setExpectedOldObjectId(expected == null ? ObjectId.zeroId() : expected);
        update.setNewObjectId(to);
        update.setForceUpdate(true);
        update.setRefLogMessage(reflog, false);
        RefUpdate.Result result = update.update();
        switch (result) {
            case NEW, FAST_FORWARD, FORCED, NO_CHANGE -> { }
            case LOCK_FAILURE, REJECTED, REJECTED_CURRENT_BRANCH -> {
                ObjectId actual = repository.resolve(Constants.R_HEADS + branch);
                throw new ConcurrentChangeException(branch, expected == null ? null : expected.name(),
                        actual == null ? null : actual.name());
            }
            default -> throw new IOException("update of " + branch + " failed: " + result);
        }
    }

    /**
     * Every path that differs between the trees of two commits ({@code from} null = empty tree), mapped to
     * {@code [blob in from or null, blob in to or null]}, in path order.
     */
    static Map<String, @Nullable ObjectId[]> changedPaths(Repository repository, @Nullable RevCommit from,
                                                          RevCommit to) throws IOException {
        Map<String, @Nullable ObjectId[]> changed = new LinkedHashMap<>();
        try (TreeWalk walk = new TreeWalk(repository)) {
            if (from == null) {
                walk.addTree(new EmptyTreeIterator());
            } else {
                walk.addTree(from.getTree());
            }
            walk.addTree(to.getTree());
            walk.setRecursive(true);
            walk.setFilter(TreeFilter.ANY_DIFF);
            while (walk.next()) {
                changed.put(walk.getPathString(), new @Nullable ObjectId[] {blobOrNull(walk, 0), blobOrNull(walk, 1)});
            }
        }
        return changed;
    }

    static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static @Nullable ObjectId blobOrNull(TreeWalk walk, int tree) {
        return walk.getRawMode(tree) == 0 ? null : walk.getObjectId(tree);
    }

    private static String checkPath(String path) {
        requireNonNull(path, "path");
        boolean bad = path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("//")
                || path.contains("\\") || ("/" + path + "/").contains("/../") || ("/" + path + "/").contains("/./")
                || ("/" + path + "/").contains("/.git/");
        if (bad) {
            throw new IllegalArgumentException("path: \"" + path + "\" (expected: a relative path like istio/hello.yaml)");
        }
        return path;
    }
}
