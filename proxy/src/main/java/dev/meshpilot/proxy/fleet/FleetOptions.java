package dev.meshpilot.proxy.fleet;

import static java.util.Objects.requireNonNull;

/**
 * Where the fleet listens.
 *
 * @param bindHost    the address every server binds ({@code 127.0.0.1})
 * @param gatewayPort the ingress gateway's port, 0 for any free port
 */
public record FleetOptions(String bindHost, int gatewayPort) {
    public FleetOptions {
        requireNonNull(bindHost, "bindHost");
        if (gatewayPort < 0 || gatewayPort > 65535) {
            throw new IllegalArgumentException("gatewayPort: " + gatewayPort + " (expected: 0..65535)");
        }
    }

    /** {@code 127.0.0.1}, any free gateway port. */
    public static FleetOptions localhost() {
        return new FleetOptions("127.0.0.1", 0);
    }
}
