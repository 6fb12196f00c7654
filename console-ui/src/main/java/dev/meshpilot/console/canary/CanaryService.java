package dev.meshpilot.console.canary;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.policy.edit.CanaryRoute;
import dev.meshpilot.policy.edit.CanaryRoutes;
import dev.meshpilot.policy.edit.RouteWeightEditor;
import dev.meshpilot.policy.route.WeightedDestination;
import dev.meshpilot.sync.Author;
import dev.meshpilot.sync.MeshRepository;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the Canary view does: lists the weighted routes at the head of the branch and commits new weights
 * for one of them, editing only the weight lines of its file, authored by the operator.
 */
public final class CanaryService {

    private final MeshRepository repository;
    private final String branch;

    public CanaryService(MeshRepository repository, String branch) {
        this.repository = requireNonNull(repository, "repository");
        this.branch = requireNonNull(branch, "branch");
    }

    /** Every route with two or more weighted destinations at the head of the branch. */
    public List<CanaryRoute> routes() {
        return repository.head(branch)
                .map(head -> CanaryRoutes.find(repository.filesAt(head)))
                .orElse(List.of());
    }

    /**
     * Commits new weights for one route.
     *
     * @param userName the operator, the commit's author ({@code name <name@meshpilot.local>})
     * @param route    the route as the operator saw it (its file, VirtualService and rule identify it)
     * @param weights  one weight per destination, in the route's order, summing to 100
     * @throws IllegalArgumentException when the weights are invalid or nothing changes
     * @throws IllegalStateException    when the route no longer exists at the head of the branch
     */
    public CanaryCommit commit(String userName, CanaryRoute route, List<Integer> weights) {
        requireNonNull(userName, "userName");
        requireNonNull(route, "route");
        List<Integer> newWeights = List.copyOf(requireNonNull(weights, "weights"));
        String head = repository.head(branch)
                .orElseThrow(() -> new IllegalStateException("branch " + branch + " has no commit"));
        List<SourceFile> files = repository.filesAt(head);
        CanaryRoute current = find(files, route).orElseThrow(() -> new IllegalStateException(
                "route " + route.virtualService() + " rule " + route.rule() + " is no longer in " + route.file()));
        validate(current, newWeights);
        String yaml = files.stream()
                .filter(file -> file.path().equals(current.file()))
                .findFirst()
                .orElseThrow()
                .content();
        String edited = RouteWeightEditor.setWeights(yaml, current.virtualService(), current.rule(), newWeights);
        String message = CanaryLabels.commitMessage(current, newWeights);
        Author author = new Author(userName, userName + "@meshpilot.local");
        String commitId = repository.commit(branch, Map.of(current.file(), edited), author, message);
        return new CanaryCommit(commitId, message);
    }

    private static Optional<CanaryRoute> find(List<SourceFile> files, CanaryRoute route) {
        return CanaryRoutes.find(files).stream()
                .filter(candidate -> candidate.file().equals(route.file())
                        && candidate.namespace().equals(route.namespace())
                        && candidate.virtualService().equals(route.virtualService())
                        && candidate.rule() == route.rule())
                .findFirst();
    }

    private static void validate(CanaryRoute route, List<Integer> weights) {
        List<WeightedDestination> destinations = route.destinations();
        if (weights.size() != destinations.size()) {
            throw new IllegalArgumentException("weights: " + weights.size() + " values (expected: "
                    + destinations.size() + ", one per destination)");
        }
        int sum = 0;
        for (int weight : weights) {
            if (weight < 0 || weight > WeightBalancer.TOTAL) {
                throw new IllegalArgumentException("weight: " + weight + " (expected: 0..100)");
            }
            sum += weight;
        }
        if (sum != WeightBalancer.TOTAL) {
            throw new IllegalArgumentException("weights: " + weights + " add up to " + sum + " (expected: 100)");
        }
        boolean changed = false;
        for (int i = 0; i < weights.size(); i++) {
            changed |= destinations.get(i).weight() != weights.get(i);
        }
        if (!changed) {
            throw new IllegalArgumentException("weights: " + weights + " (expected: a change)");
        }
    }
}
