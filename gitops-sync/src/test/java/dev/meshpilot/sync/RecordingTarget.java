package dev.meshpilot.sync;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.SourceFile;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A sync target that keeps what it was given and fails while {@link #failWith} is set. */
final class RecordingTarget implements SyncTarget {

    record Applied(String version, List<SourceFile> files) {}

    final List<Applied> applied = new CopyOnWriteArrayList<>();
    private final String name;
    volatile String failWith;

    RecordingTarget(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void apply(MeshSnapshot snapshot) {
        throw new AssertionError("the loop must call apply(snapshot, files)");
    }

    @Override
    public void apply(MeshSnapshot snapshot, List<SourceFile> files) throws Exception {
        String failure = failWith;
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        applied.add(new Applied(snapshot.version(), files));
    }

    List<String> versions() {
        return applied.stream().map(Applied::version).toList();
    }
}
