package dev.meshpilot.console.git;

import static java.util.Objects.requireNonNull;

import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.resolver.RepositoryResolver;

/** Serves exactly one repository, {@code mesh.git}, over HTTP; every other name is not found. */
final class MeshRepositoryResolver implements RepositoryResolver<HttpServletRequest> {

    static final String NAME = "mesh.git";

    private final Repository repository;

    MeshRepositoryResolver(Repository repository) {
        this.repository = requireNonNull(repository, "repository");
    }

    @Override
    public Repository open(HttpServletRequest request, String name) throws RepositoryNotFoundException {
        String normalized = name.startsWith("/") ? name.substring(1) : name;
        if (!normalized.equals(NAME) && !normalized.equals("mesh")) {
            throw new RepositoryNotFoundException(name);
        }
        repository.incrementOpen(); // GitServlet closes what it opened
        return repository;
    }
}
