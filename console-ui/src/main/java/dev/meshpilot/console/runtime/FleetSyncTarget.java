package dev.meshpilot.console.runtime;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.proxy.fleet.ApplyReport;
import dev.meshpilot.proxy.fleet.EmbeddedFleet;
import dev.meshpilot.sync.SyncTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The sync target {@code fleet}: applies each accepted snapshot to the in-process fleet. */
public final class FleetSyncTarget implements SyncTarget {

    private static final Logger log = LoggerFactory.getLogger(FleetSyncTarget.class);

    private final EmbeddedFleet fleet;

    public FleetSyncTarget(EmbeddedFleet fleet) {
        this.fleet = requireNonNull(fleet, "fleet");
    }

    @Override
    public String name() {
        return "fleet";
    }

    @Override
    public void apply(MeshSnapshot snapshot) throws Exception {
        ApplyReport report = fleet.apply(requireNonNull(snapshot, "snapshot"));
        log.info("Applied {} to the fleet: {} workloads started, {} stopped, {} proxies{}",
                shortId(report.version()), report.workloadsStarted(), report.workloadsStopped(),
                report.proxies().size(), report.messages().isEmpty() ? "" : " " + report.messages());
    }

    static String shortId(String commitId) {
        return commitId.length() > 7 ? commitId.substring(0, 7) : commitId;
    }
}
