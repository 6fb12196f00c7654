package dev.meshpilot.console.ca;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.identity.RootRotation;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The mesh CA at one moment, for the console's Security page.
 *
 * @param roots          the trust bundle: one root, or two during a rotation (the previous one first)
 * @param selfSigned     a mesh root the console created (rotatable), or else the user's plugged-in intermediate
 * @param location       where the CA's key and certificates are kept: a directory or a Secret
 * @param issuer         the plugged-in intermediate that signs workload certificates; {@code null} when self-signed
 * @param rotation       the root rotation in progress, if any
 * @param rotateRefusal  why "Rotate root" is not possible now, or {@code null} when it is
 */
public record CaOverview(String trustDomain, List<CertificateSummary> roots, boolean selfSigned, String location,
        @Nullable CertificateSummary issuer, Duration workloadTtl, @Nullable RootRotation rotation,
        @Nullable String rotateRefusal) {

    public CaOverview {
        requireNonNull(trustDomain, "trustDomain");
        roots = List.copyOf(requireNonNull(roots, "roots"));
        requireNonNull(location, "location");
        requireNonNull(workloadTtl, "workloadTtl");
    }
}
