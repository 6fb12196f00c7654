package dev.meshpilot.console.kube;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Quiets fabric8's mock server, which logs every request at INFO. */
final class MockServerLog {

    /** Held strongly so its level sticks. */
    private static final Logger LOG = Logger.getLogger("io.fabric8.mockwebserver");

    private MockServerLog() {}

    static void quiet() {
        LOG.setLevel(Level.WARNING);
    }
}
