package dev.meshpilot.proxy.fleet;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Where the fleet's workload certificates come from: a CA given as is, a CA directory (created on first start, e.g.
 * the console's {@code <data dir>/ca}, outside the mesh repository), or, when neither is given, a CA created in a
 * temporary directory for each fleet (deleted when the fleet closes).
 *
 * @param directory   the CA directory ({@link WorkloadCertificateAuthority#openOrCreate(Path)}), or null
 * @param authority   the CA itself, or null
 * @param workloadTtl the lifetime of workload certificates (renewed at half of it); null = the CA's (24 h default)
 */
public record FleetCa(@Nullable Path directory, @Nullable WorkloadCertificateAuthority authority,
        @Nullable Duration workloadTtl) {

    public FleetCa {
        if (directory != null && authority != null) {
            throw new IllegalArgumentException("directory: " + directory + " (expected: a directory or a CA, not both)");
        }
        if (workloadTtl != null && (workloadTtl.isNegative() || workloadTtl.isZero())) {
            throw new IllegalArgumentException("workloadTtl: " + workloadTtl + " (expected: > 0)");
        }
    }

    /** A CA in a temporary directory per fleet. */
    public static FleetCa temporary() {
        return new FleetCa(null, null, null);
    }

    /** The CA kept in {@code caDir} (created there on first start). */
    public static FleetCa directory(Path caDir) {
        return new FleetCa(requireNonNull(caDir, "caDir"), null, null);
    }

    public static FleetCa of(WorkloadCertificateAuthority ca) {
        return new FleetCa(null, requireNonNull(ca, "ca"), null);
    }

    /** This source with workload certificates of lifetime {@code ttl} (short in tests: rotation every ttl/2). */
    public FleetCa withWorkloadTtl(Duration ttl) {
        return new FleetCa(directory, authority, requireNonNull(ttl, "ttl"));
    }
}
