package dev.meshpilot.console.kube;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.sync.SyncState;
import dev.meshpilot.sync.SyncStatus;
import dev.meshpilot.sync.kube.DriftWatch;
import dev.meshpilot.sync.kube.KubeApplyResult;
import dev.meshpilot.sync.kube.KubernetesTarget;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the cluster at the last applied commit: once the {@code kubernetes} target has applied one, a
 * {@link DriftWatch} writes back objects changed or deleted behind Meshpilot's back. The watch is restarted when an
 * applied commit brings a kind it did not watch (the watch covers Istio's and the core kinds from the start).
 * Feed it the sync loop's reports ({@link #accept}); {@link #close} stops the informers.
 */
public final class ClusterDriftRepair implements Consumer<SyncStatus>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterDriftRepair.class);

    private final KubernetesTarget target;
    private @Nullable DriftWatch watch;
    private Set<String> watchedKinds = Set.of();
    private boolean closed;

    public ClusterDriftRepair(KubernetesTarget target) {
        this.target = requireNonNull(target, "target");
    }

    /** Starts (or restarts) the watch after a commit the cluster has. */
    @Override
    public void accept(SyncStatus status) {
        if (status.state() == SyncState.APPLIED) {
            target.lastResult().ifPresent(this::watch);
        }
    }

    /** Starts the watch when the target has applied a commit already (a report that came before subscribing). */
    public void catchUp() {
        target.lastResult().ifPresent(this::watch);
    }

    /** True when a watch runs and every informer has listed its kind. */
    public synchronized boolean watching() {
        return watch != null && watch.synced();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }

    private synchronized void watch(KubeApplyResult applied) {
        Set<String> kinds = kinds(applied);
        if (closed || (watch != null && watchedKinds.containsAll(kinds))) {
            return;
        }
        if (watch != null) {
            watch.close();
        }
        watch = target.watchDrift(repaired -> log.warn("kubernetes: wrote back {} (changed outside Git)", repaired));
        watchedKinds = kinds;
        log.info("kubernetes: watching the cluster for drift from commit {} ({})", applied.version(), kinds);
    }

    /** The kinds of {@code Kind namespace/name} entries. */
    private static Set<String> kinds(KubeApplyResult applied) {
        Set<String> kinds = new TreeSet<>();
        Stream.of(applied.created(), applied.updated(), applied.unchanged()).flatMap(List::stream)
                .map(object -> object.substring(0, Math.max(0, object.indexOf(' '))))
                .forEach(kinds::add);
        return kinds;
    }
}
