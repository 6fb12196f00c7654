package dev.meshpilot.proxy.fleet;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.egress.HostResolver;
import org.jspecify.annotations.Nullable;

/**
 * Where the fleet listens.
 *
 * @param bindHost    the address every server binds ({@code 127.0.0.1})
 * @param gatewayPort the ingress gateway's port, 0 for any free port
 * @param resolver    where sidecars reach hosts outside the mesh (ServiceEntry hosts with {@code resolution: DNS},
 *                    passed-through calls); {@link HostResolver#SYSTEM} unless given
 * @param operatorToken the mesh's secret for {@code x-meshpilot-debug} (a request carrying it learns why it was
 *                    allowed or denied in {@code x-meshpilot-authz}); null: the operator header is off
 */
public record FleetOptions(String bindHost, int gatewayPort, HostResolver resolver, @Nullable String operatorToken) {
    public FleetOptions {
        requireNonNull(bindHost, "bindHost");
        requireNonNull(resolver, "resolver");
        if (gatewayPort < 0 || gatewayPort > 65535) {
            throw new IllegalArgumentException("gatewayPort: " + gatewayPort + " (expected: 0..65535)");
        }
    }

    /** The system's DNS for hosts outside the mesh. */
    public FleetOptions(String bindHost, int gatewayPort) {
        this(bindHost, gatewayPort, HostResolver.SYSTEM);
    }

    /** No operator token. */
    public FleetOptions(String bindHost, int gatewayPort, HostResolver resolver) {
        this(bindHost, gatewayPort, resolver, null);
    }

    /** {@code 127.0.0.1}, any free gateway port. */
    public static FleetOptions localhost() {
        return new FleetOptions("127.0.0.1", 0);
    }

    /** These options with {@code resolver} for hosts outside the mesh. */
    public FleetOptions withResolver(HostResolver resolver) {
        return new FleetOptions(bindHost, gatewayPort, resolver, operatorToken);
    }

    /** These options with the mesh's operator token (null switches the operator header off). */
    public FleetOptions withOperatorToken(@Nullable String token) {
        return new FleetOptions(bindHost, gatewayPort, resolver, token);
    }

    @Override
    public String toString() {
        return "FleetOptions[bindHost=" + bindHost + ", gatewayPort=" + gatewayPort + ", resolver=" + resolver
                + ", operatorToken=" + (operatorToken == null ? "none" : "(set)") + "]";
    }
}
