package dev.meshpilot.console.ca;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.identity.BootstrapTokens;
import dev.meshpilot.proxy.identity.CaCerts;
import dev.meshpilot.proxy.identity.RootRotation;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What operators do with the mesh CA, shared by the REST API ({@link RootRotationController}, {@link CaController})
 * and the console's Security page: read the CA's state, rotate the root, retire the previous root, issue bootstrap
 * tokens. Every change is logged with the operator's name.
 */
public final class CaAdministration {

    private static final Logger log = LoggerFactory.getLogger(CaAdministration.class);

    private final WorkloadCertificateAuthority ca;
    private final BootstrapTokens tokens;
    private final String location;

    /** @param location where the CA lives ({@link MeshCaChoice#location}), shown to operators */
    public CaAdministration(WorkloadCertificateAuthority ca, BootstrapTokens tokens, String location) {
        this.ca = requireNonNull(ca, "ca");
        this.tokens = requireNonNull(tokens, "tokens");
        this.location = requireNonNull(location, "location");
    }

    public CaOverview overview() {
        Optional<RootRotation> rotation = ca.rootRotation();
        boolean selfSigned = ca.rootRotatable();
        String refusal = !selfSigned ? "plugged-in CA " + location + ": its root is the user's (rotate it by "
                + "replacing " + String.join(", ", CaCerts.NAMES) + " and restarting)"
                : rotation.isPresent() ? "a root rotation is in progress (retire the previous root first)" : null;
        return new CaOverview(ca.trustDomain(), ca.trustBundle().roots().stream().map(CertificateSummary::of).toList(),
                selfSigned, location, selfSigned ? null : CertificateSummary.of(ca.issuingCertificate()),
                ca.workloadTtl(), rotation.orElse(null), refusal);
    }

    /**
     * Starts a root rotation (see {@link WorkloadCertificateAuthority#rotateRoot()}).
     *
     * @throws IllegalStateException with the reason for a plugged-in CA or while a rotation is in progress
     */
    public RootRotation rotateRoot(String operator) {
        RootRotation rotation = ca.rotateRoot();
        log.info("{} rotated the mesh root: {}", requireNonNull(operator, "operator"), rotation);
        return rotation;
    }

    /** Retires the previous root of the rotation in progress now; empty when none is in progress. */
    public Optional<RootRotation> retirePreviousRoot(String operator) {
        requireNonNull(operator, "operator");
        Optional<RootRotation> finished = ca.finishRootRotation();
        finished.ifPresent(rotation -> log.info("{} finished the root rotation: {} (serial {}) left the trust bundle",
                operator, rotation.previousRoot().getSubjectX500Principal().getName(),
                rotation.previousRoot().getSerialNumber().toString(16)));
        return finished;
    }

    /**
     * A one-time bootstrap token for {@code namespace/serviceAccount} (only its hash is stored).
     *
     * @param ttl Istio-style ({@code 24h}, {@code 7d}); {@code null} or blank for 24 h
     * @throws IllegalArgumentException naming the field at fault
     */
    public BootstrapTokens.Issued issueToken(String operator, @Nullable String namespace,
            @Nullable String serviceAccount, @Nullable String ttl) {
        requireNonNull(operator, "operator");
        Duration lifetime = BootstrapTokens.parseTtl(ttl == null || ttl.isBlank() ? "24h" : ttl);
        BootstrapTokens.Issued issued = tokens.issue(required(namespace, "namespace"),
                required(serviceAccount, "serviceAccount"), lifetime);
        BootstrapTokens.Grant grant = issued.grant();
        log.info("{} issued a bootstrap token for {}/{} (expires {})", operator, grant.namespace(),
                grant.serviceAccount(), grant.expiresAt());
        return issued;
    }

    private static String required(@Nullable String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": missing (expected: a DNS-1123 name)");
        }
        return value;
    }
}
