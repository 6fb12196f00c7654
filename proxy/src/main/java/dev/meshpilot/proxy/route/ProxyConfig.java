package dev.meshpilot.proxy.route;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The one snapshot a proxy serves. A request reads it once at its start, so a swap never fails a request
 * in flight: it finishes on the snapshot it began with.
 */
public final class ProxyConfig {

    private final AtomicReference<@Nullable MeshSnapshot> current = new AtomicReference<>();

    /** Swaps in {@code snapshot}; returns the version now served (the acknowledgement). */
    public String apply(MeshSnapshot snapshot) {
        requireNonNull(snapshot, "snapshot");
        current.set(snapshot);
        return snapshot.version();
    }

    public @Nullable MeshSnapshot snapshot() {
        return current.get();
    }

    /** The version served, or {@code ""} before the first snapshot. */
    public String version() {
        MeshSnapshot snapshot = current.get();
        return snapshot == null ? "" : snapshot.version();
    }
}
