package dev.meshpilot.proxy.identity;

import static java.util.Objects.requireNonNull;

import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * A root rotation in progress: both roots are in the trust bundle, every certificate is issued by {@code newRoot},
 * and {@code previousRoot} leaves the bundle at {@code previousRootRetiresAt}, when the last certificate it signed
 * expires (or earlier, when an operator finishes the rotation).
 */
public record RootRotation(X509Certificate previousRoot, X509Certificate newRoot, Instant startedAt,
        Instant previousRootRetiresAt) {

    public RootRotation {
        requireNonNull(previousRoot, "previousRoot");
        requireNonNull(newRoot, "newRoot");
        requireNonNull(startedAt, "startedAt");
        requireNonNull(previousRootRetiresAt, "previousRootRetiresAt");
    }

    @Override
    public String toString() {
        return "RootRotation[" + MeshRoots.describe(previousRoot) + " -> " + MeshRoots.describe(newRoot)
                + ", started " + startedAt + ", previous root retires " + previousRootRetiresAt + "]";
    }
}
