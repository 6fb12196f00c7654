package dev.meshpilot.e2e.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/** An operator's clone of the mesh repository over the console's Git smart HTTP, as plain `git` would use it. */
public final class MeshClone implements AutoCloseable {

    private final Git git;
    private final Path dir;
    private final UsernamePasswordCredentialsProvider credentials;

    private MeshClone(Git git, Path dir, UsernamePasswordCredentialsProvider credentials) {
        this.git = git;
        this.dir = dir;
        this.credentials = credentials;
    }

    public static MeshClone of(String consoleUrl, String user, String password, Path dir) {
        UsernamePasswordCredentialsProvider credentials = new UsernamePasswordCredentialsProvider(user, password);
        try {
            Git git = Git.cloneRepository().setURI(consoleUrl + "/git/mesh.git").setDirectory(dir.toFile())
                    .setCredentialsProvider(credentials).call();
            return new MeshClone(git, dir, credentials);
        } catch (GitAPIException e) {
            throw new IllegalStateException("git clone " + consoleUrl + "/git/mesh.git failed: " + e.getMessage(), e);
        }
    }

    /** Edits one file, commits it as the operator and pushes to main. */
    public void commitAndPush(String file, UnaryOperator<String> edit, String message) {
        try {
            Path path = dir.resolve(file);
            Files.writeString(path, edit.apply(Files.readString(path)));
            git.commit().setAll(true).setAuthor("Olivia Operator", "olivia@example.com")
                    .setCommitter("Olivia Operator", "olivia@example.com").setMessage(message).call();
            push();
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException("commit and push of " + file + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code files} (new or changed, by repository-relative path), deletes {@code deleted}, commits all of it
     * as the operator and pushes to main, like {@code git add -A && git commit && git push}; returns the commit id.
     */
    public String commitAndPush(String message, Map<String, String> files, Collection<String> deleted) {
        try {
            for (Map.Entry<String, String> file : files.entrySet()) {
                Files.writeString(dir.resolve(file.getKey()), file.getValue());
            }
            for (String file : deleted) {
                Files.delete(dir.resolve(file));
            }
            git.add().addFilepattern(".").call();
            RevCommit commit = git.commit().setAll(true).setAuthor("Olivia Operator", "olivia@example.com")
                    .setCommitter("Olivia Operator", "olivia@example.com").setMessage(message).call();
            push();
            return commit.getName();
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException("commit and push of \"" + message + "\" failed: " + e.getMessage(), e);
        }
    }

    /** Whether the clone has {@code file}. */
    public boolean has(String file) {
        return Files.exists(dir.resolve(file));
    }

    /** The content of {@code file} in this clone. */
    public String read(String file) {
        try {
            return Files.readString(dir.resolve(file));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " of the clone: " + e.getMessage(), e);
        }
    }

    /** {@code git push}; fails unless the server took every ref update (JGit reports a rejection, not throws). */
    private void push() throws GitAPIException {
        for (PushResult result : git.push().setCredentialsProvider(credentials).call()) {
            for (RemoteRefUpdate update : result.getRemoteUpdates()) {
                if (update.getStatus() != RemoteRefUpdate.Status.OK
                        && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                    throw new IllegalStateException("git push of " + update.getRemoteName() + " was refused: "
                            + update.getStatus() + (update.getMessage() == null ? "" : " " + update.getMessage()));
                }
            }
        }
    }

    @Override
    public void close() {
        git.close();
    }
}
