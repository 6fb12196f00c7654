package dev.meshpilot.sync;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.SourceFile;
import java.util.List;

/** Where a compiled commit goes: the embedded fleet, a Kubernetes cluster. Applied in the loop's order. */
public interface SyncTarget {

    /** Short name shown in sync status messages, e.g. {@code fleet}, {@code kubernetes}. */
    String name();

    /** Makes the target serve the snapshot; throws when it could not (the commit becomes FAILED). */
    void apply(MeshSnapshot snapshot) throws Exception;

    /**
     * The call the sync loop makes: the snapshot and the commit's YAML files it was compiled from. Targets that
     * apply raw resources (Kubernetes) override this one; the default delegates to {@link #apply(MeshSnapshot)}.
     */
    default void apply(MeshSnapshot snapshot, List<SourceFile> files) throws Exception {
        apply(snapshot);
    }
}
