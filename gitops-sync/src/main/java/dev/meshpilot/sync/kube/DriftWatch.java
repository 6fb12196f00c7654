package dev.meshpilot.sync.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Informers on the managed kinds; a change or deletion of a managed object schedules a repair 100 ms later (events
 * in between are batched). The repair itself compares the live resourceVersion with the one Meshpilot wrote, so
 * Meshpilot's own writes never count as drift. Informers re-list and re-watch on their own after a disconnect or an
 * expired resourceVersion (410 Gone).
 */
public final class DriftWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DriftWatch.class);
    private static final long BATCH_MILLIS = 100;

    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final ScheduledExecutorService executor;
    private final Function<Set<String>, List<String>> repair;
    private final Consumer<List<String>> onRepair;
    private final Set<String> pending = new HashSet<>();

    DriftWatch(Map<ManagedKind, FilterWatchListDeletable<? extends HasMetadata, ?, ?>> kinds,
               Function<Set<String>, List<String>> repair, Consumer<List<String>> onRepair) {
        this.repair = repair;
        this.onRepair = onRepair;
        this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "meshpilot-kube-drift");
            thread.setDaemon(true);
            return thread;
        });
        kinds.forEach((kind, objects) -> informers.add(objects.inform(handler(kind))));
    }

    /** True once every informer has listed its kind (drift after this point is noticed). */
    public boolean synced() {
        return informers.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::stop);
        executor.shutdownNow();
    }

    private ResourceEventHandler<HasMetadata> handler(ManagedKind kind) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(HasMetadata object) {
                // A (re-)list: nothing changed behind our back that the repair could not see later.
            }

            @Override
            public void onUpdate(HasMetadata before, HasMetadata after) {
                if (!Objects.equals(before.getMetadata().getResourceVersion(),
                        after.getMetadata().getResourceVersion())) {
                    changed(Manifests.key(kind.group(), kind.kind(), after));
                }
            }

            @Override
            public void onDelete(HasMetadata object, boolean finalStateUnknown) {
                changed(Manifests.key(kind.group(), kind.kind(), object));
            }
        };
    }

    private void changed(String key) {
        synchronized (pending) {
            if (pending.isEmpty()) {
                executor.schedule(this::repairPending, BATCH_MILLIS, TimeUnit.MILLISECONDS);
            }
            pending.add(key);
        }
    }

    private void repairPending() {
        Set<String> keys;
        synchronized (pending) {
            keys = Set.copyOf(pending);
            pending.clear();
        }
        try {
            List<String> repaired = repair.apply(keys);
            if (!repaired.isEmpty()) {
                onRepair.accept(repaired);
            }
        } catch (RuntimeException e) {
            log.error("kubernetes: drift repair of {} failed: {}", keys, e.toString(), e);
        }
    }
}
