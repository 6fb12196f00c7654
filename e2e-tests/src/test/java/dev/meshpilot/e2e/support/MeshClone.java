package dev.meshpilot.e2e.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
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
            git.push().setCredentialsProvider(credentials).call();
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException("commit and push of " + file + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        git.close();
    }
}
