package dev.meshpilot.proxy.tls;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.endpoint.Endpoint;
import dev.meshpilot.proxy.identity.SpiffeId;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How a proxy talks to the endpoints of one destination.
 *
 * @param mode            {@code ISTIO_MUTUAL} / {@code DISABLE} (from the DestinationRule), {@code SIMPLE} /
 *                        {@code MUTUAL} (TLS origination: done by {@link Originations}, no mesh mTLS here), or
 *                        {@code AUTO} (no tls setting: mutual TLS to the endpoints in {@code mutualEndpoints})
 * @param peers           the SPIFFE IDs the server may present: the service accounts of the destination's endpoints
 * @param mutualEndpoints with AUTO: the ids of the endpoints that have a sidecar whose mode is not DISABLE
 */
public record ClientTls(String mode, Set<SpiffeId> peers, Set<String> mutualEndpoints) {

    public static final String ISTIO_MUTUAL = "ISTIO_MUTUAL";
    public static final String DISABLE = "DISABLE";
    public static final String AUTO = "AUTO";

    /** Plaintext to every endpoint. */
    public static final ClientTls PLAINTEXT = new ClientTls(DISABLE, Set.of(), Set.of());

    public ClientTls {
        requireNonNull(mode, "mode");
        peers = Set.copyOf(peers);
        mutualEndpoints = Set.copyOf(mutualEndpoints);
    }

    /** The identities {@code endpoint} must prove over mutual TLS, or null to send plaintext to it. */
    public @Nullable Set<SpiffeId> peersFor(Endpoint endpoint) {
        requireNonNull(endpoint, "endpoint");
        boolean mutual = switch (mode) {
            case ISTIO_MUTUAL -> true;
            case AUTO -> mutualEndpoints.contains(endpoint.id());
            default -> false;
        };
        return mutual && !peers.isEmpty() ? peers : null;
    }
}
