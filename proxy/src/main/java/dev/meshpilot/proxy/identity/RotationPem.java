package dev.meshpilot.proxy.identity;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A root rotation as a {@link RootStore} keeps it, so that a restart during the rotation still trusts the previous
 * root: its certificate (PEM), when the rotation started and when the previous root retires.
 */
public record RotationPem(String previousRootPem, Instant startedAt, Instant previousRootRetiresAt) {

    public RotationPem {
        requireNonNull(previousRootPem, "previousRootPem");
        requireNonNull(startedAt, "startedAt");
        requireNonNull(previousRootRetiresAt, "previousRootRetiresAt");
    }
}
