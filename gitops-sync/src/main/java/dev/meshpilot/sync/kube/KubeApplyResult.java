package dev.meshpilot.sync.kube;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What one sync did to the cluster, each object as {@code Kind namespace/name}.
 *
 * @param unchanged objects whose live copy already carried the desired state (not written)
 */
public record KubeApplyResult(String version, List<String> created, List<String> updated, List<String> unchanged,
                              List<String> pruned) {
    public KubeApplyResult {
        requireNonNull(version, "version");
        created = List.copyOf(created);
        updated = List.copyOf(updated);
        unchanged = List.copyOf(unchanged);
        pruned = List.copyOf(pruned);
    }

    @Override
    public String toString() {
        return created.size() + " created, " + updated.size() + " updated, " + unchanged.size() + " unchanged, "
                + pruned.size() + " pruned";
    }
}
