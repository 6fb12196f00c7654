package dev.meshpilot.sync;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.api.errors.InvalidRefNameException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.jspecify.annotations.Nullable;

/**
 * The mesh repository: a bare Git repository whose commits are built in memory (no work tree), authored by the
 * operator. Every method is safe to call from several threads; a concurrent update of a branch is detected with
 * the branch's expected old id and reported as {@link ConcurrentChangeException}.
 */
public final class MeshRepository implements AutoCloseable {

    /** The branch a new repository starts with and the sync loop tracks by default. */
    public static final String MAIN = "main";

    private final Repository repository;

    private MeshRepository(Repository repository) {
        this.repository = repository;
    }

    /** Opens the bare repository at {@code gitDir}, creating it (initial branch {@code main}) when missing. */
    public static MeshRepository openOrInit(Path gitDir) {
        requireNonNull(gitDir, "gitDir");
        try {
            boolean exists = Files.isRegularFile(gitDir.resolve("HEAD"));
            Repository repository = new FileRepositoryBuilder()
                    .setGitDir(gitDir.toFile())
                    .setBare()
                    .setInitialBranch(MAIN)
                    .build();
            if (!exists) {
                Files.createDirectories(gitDir);
                repository.create(true);
            }
            StoredConfig config = repository.getConfig();
            if (!config.getBoolean("http", "receivepack", false)) {
                config.setBoolean("http", null, "receivepack", true);
                config.save();
            }
            return new MeshRepository(repository);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open or create the mesh repository at " + gitDir, e);
        } catch (InvalidRefNameException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JGit repository, e.g. for serving it with {@code GitServlet}. */
    public Repository jgit() {
        return repository;
    }

    /** True when no branch has a commit yet. */
    public boolean isEmpty() {
        try {
            return repository.getRefDatabase().getRefsByPrefix(Constants.R_HEADS).isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The commit id the branch points at, empty when the branch does not exist. */
    public Optional<String> head(String branch) {
        return Optional.ofNullable(headId(branch)).map(ObjectId::name);
    }

    /** Every {@code *.yaml} / {@code *.yml} file at the commit, with repository-relative paths, in path order. */
    public List<SourceFile> filesAt(String commitId) {
        requireNonNull(commitId, "commitId");
        try (RevWalk walk = new RevWalk(repository); TreeWalk tree = new TreeWalk(repository)) {
            RevCommit commit = walk.parseCommit(resolve(commitId));
            tree.addTree(commit.getTree());
            tree.setRecursive(true);
            List<SourceFile> files = new ArrayList<>();
            ObjectReader reader = tree.getObjectReader();
            while (tree.next()) {
                String path = tree.getPathString();
                if (path.endsWith(".yaml") || path.endsWith(".yml")) {
                    byte[] bytes = reader.open(tree.getObjectId(0), Constants.OBJ_BLOB).getBytes();
                    files.add(new SourceFile(path, new String(bytes, StandardCharsets.UTF_8)));
                }
            }
            return List.copyOf(files);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the files of commit " + commitId, e);
        }
    }

    /** Writes (adds or replaces) files on the branch in one commit; see {@link #commit(String, Map, Set, Author, String)}. */
    public String commit(String branch, Map<String, String> filesToWrite, Author author, String message) {
        return commit(branch, filesToWrite, Set.of(), author, message);
    }

    /**
     * Writes and deletes files on the branch in one commit and returns the new commit id. When nothing changes,
     * no commit is made and the branch's current head is returned. A missing branch may only be created this way
     * in an empty repository (its first commit); otherwise create a change request first.
     *
     * @throws ConcurrentChangeException when the branch moved while the commit was built
     */
    public String commit(String branch, Map<String, String> filesToWrite, Set<String> filesToDelete,
                         Author author, String message) {
        requireNonNull(filesToWrite, "filesToWrite");
        requireNonNull(filesToDelete, "filesToDelete");
        Map<String, @Nullable ObjectId> edits = new LinkedHashMap<>();
        try (ObjectInserter inserter = repository.newObjectInserter()) {
            for (Map.Entry<String, String> file : filesToWrite.entrySet()) {
                byte[] content = requireNonNull(file.getValue(), file.getKey()).getBytes(StandardCharsets.UTF_8);
                edits.put(file.getKey(), inserter.insert(Constants.OBJ_BLOB, content));
            }
            inserter.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String path : filesToDelete) {
            if (edits.containsKey(path)) {
                throw new IllegalArgumentException("filesToDelete: " + path + " (expected: not also written)");
            }
            edits.put(path, null);
        }
        return Commits.write(this, branch, headId(branch), edits, author, message);
    }

    /** The first commit of an empty repository on {@code main}, e.g. the tutorial's examples. */
    public String seed(Map<String, String> files, Author author, String message) {
        if (!isEmpty()) {
            throw new IllegalStateException("seed: the repository already has commits (expected: empty)");
        }
        return commit(MAIN, files, author, message);
    }

    /**
     * Reverts one commit on the branch (GitOps rollback): a new commit that restores, for every file the commit
     * changed, its content in the commit's first parent (deleting files the commit added). Message
     * {@code Revert "<subject>"}.
     */
    public String revert(String branch, String commitId, Author author) {
        requireNonNull(commitId, "commitId");
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit commit = walk.parseCommit(resolve(commitId));
            @Nullable RevCommit parent = commit.getParentCount() == 0 ? null : walk.parseCommit(commit.getParent(0));
            Map<String, @Nullable ObjectId> edits = new HashMap<>();
            for (Map.Entry<String, ObjectId[]> change : Commits.changedPaths(repository, parent, commit).entrySet()) {
                edits.put(change.getKey(), change.getValue()[0]);
            }
            String message = "Revert \"" + commit.getShortMessage() + "\"\n\nThis reverts commit " + commit.name() + ".\n";
            return Commits.write(this, branch, headId(branch), edits, author, message);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot revert " + commitId, e);
        }
    }

    @Override
    public void close() {
        repository.close();
    }

    @Nullable ObjectId headId(String branch) {
        requireNonNull(branch, "branch");
        try {
            Ref ref = repository.exactRef(Constants.R_HEADS + branch);
            return ref == null ? null : ref.getObjectId();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ObjectId resolve(String commitId) throws IOException {
        ObjectId id = repository.resolve(commitId + "^{commit}");
        if (id == null) {
            throw new IllegalArgumentException("commitId: " + commitId + " (expected: a commit of this repository)");
        }
        return id;
    }
}
