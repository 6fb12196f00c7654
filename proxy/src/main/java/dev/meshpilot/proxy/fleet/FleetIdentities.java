package dev.meshpilot.proxy.fleet;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.identity.CaSettings;
import dev.meshpilot.proxy.identity.SpiffeId;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import dev.meshpilot.proxy.tls.ProxyIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** The fleet's CA, opened from a {@link FleetCa}: issues each proxy's rotating workload identity. */
final class FleetIdentities implements AutoCloseable {

    /** The ingress gateway's service account in {@code istio-system}, as Istio names it. */
    static final String GATEWAY_SERVICE_ACCOUNT = "istio-ingressgateway-service-account";

    private final WorkloadCertificateAuthority ca;
    private final Duration ttl;
    private final @Nullable Path temporary;

    private FleetIdentities(WorkloadCertificateAuthority ca, Duration ttl, @Nullable Path temporary) {
        this.ca = ca;
        this.ttl = ttl;
        this.temporary = temporary;
    }

    static FleetIdentities open(FleetCa source) {
        requireNonNull(source, "source");
        Path temporary = null;
        WorkloadCertificateAuthority ca = source.authority();
        if (ca == null && source.directory() != null) {
            ca = WorkloadCertificateAuthority.openOrCreate(source.directory());
        } else if (ca == null) {
            try {
                temporary = Files.createTempDirectory("meshpilot-fleet-ca");
            } catch (IOException e) {
                throw new UncheckedIOException("fleet CA: cannot create a temporary directory: " + e.getMessage(), e);
            }
            ca = WorkloadCertificateAuthority.openOrCreate(temporary.resolve("ca"), CaSettings.defaults());
        }
        return new FleetIdentities(ca, source.workloadTtl() != null ? source.workloadTtl() : ca.workloadTtl(),
                temporary);
    }

    WorkloadCertificateAuthority ca() {
        return ca;
    }

    /** A rotating certificate for {@code spiffe://<trust domain>/ns/<namespace>/sa/<serviceAccount>}. */
    ProxyIdentity issue(String namespace, String serviceAccount) {
        return ProxyIdentity.issue(ca, new SpiffeId(ca.trustDomain(), namespace, serviceAccount), ttl);
    }

    @Override
    public void close() {
        if (temporary == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(temporary)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
