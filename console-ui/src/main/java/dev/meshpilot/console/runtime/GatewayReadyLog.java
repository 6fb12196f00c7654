package dev.meshpilot.console.runtime;

import dev.meshpilot.sync.SyncState;
import dev.meshpilot.sync.SyncStatus;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs {@code Gateway ready on http://localhost:8081 and https://localhost:8443 (commit <id>)} when the first commit is
 * applied.
 */
final class GatewayReadyLog implements Consumer<SyncStatus> {

    private static final Logger log = LoggerFactory.getLogger(GatewayReadyLog.class);

    private final IntSupplier gatewayPort;
    private final IntSupplier gatewayHttpsPort;
    private final AtomicBoolean logged = new AtomicBoolean();
    private final AtomicReference<String> lastWarned = new AtomicReference<>("");

    GatewayReadyLog(IntSupplier gatewayPort, IntSupplier gatewayHttpsPort) {
        this.gatewayPort = gatewayPort;
        this.gatewayHttpsPort = gatewayHttpsPort;
    }

    /** The line logged once the gateway serves a commit: both gateway ports and the commit. */
    static String readyMessage(int gatewayPort, int gatewayHttpsPort, String commitId) {
        return "Gateway ready on http://localhost:" + gatewayPort + " and https://localhost:" + gatewayHttpsPort
                + " (commit " + commitId + ")";
    }

    @Override
    public void accept(SyncStatus status) {
        if (status.state() == SyncState.APPLIED && logged.compareAndSet(false, true)) {
            log.info(readyMessage(gatewayPort.getAsInt(), gatewayHttpsPort.getAsInt(), status.commitId()));
        } else if (status.state() != SyncState.APPLIED && !logged.get()
                && !lastWarned.getAndSet(status.commitId()).equals(status.commitId())) {
            log.warn("Commit {} was not applied ({}): the gateway answers 404 until a commit is applied",
                    status.commitId(), status.state());
        }
    }
}
