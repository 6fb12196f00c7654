package dev.meshpilot.console.ca;

import dev.meshpilot.console.config.MeshpilotProperties;
import dev.meshpilot.proxy.identity.CaCerts;
import dev.meshpilot.proxy.identity.CaSettings;
import dev.meshpilot.proxy.identity.DirectoryRootStore;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which CA the console runs, first match wins: the plugged-in CA of {@code --ca-certs DIR}; in cluster mode the
 * plugged-in CA of Secret {@code istio-system/cacerts} (as istiod prefers it), else the self-signed root of Secret
 * {@code istio-system/istio-ca-secret} (created on first start); without a cluster the self-signed root of
 * {@code <data>/ca} (created on first start). A plugged-in CA that fails its checks stops the start with the reason.
 */
final class MeshCaChoice {

    private static final Logger log = LoggerFactory.getLogger(MeshCaChoice.class);

    private MeshCaChoice() {}

    /** The chosen CA; fails with a {@link MeshCaException} that names the file or Secret at fault. */
    static WorkloadCertificateAuthority open(MeshpilotProperties properties, @Nullable KubernetesClient client,
            CaSettings settings) {
        try {
            return choose(properties, client, settings);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new MeshCaException(String.valueOf(e.getMessage()), e);
        }
    }

    private static WorkloadCertificateAuthority choose(MeshpilotProperties properties,
            @Nullable KubernetesClient client, CaSettings settings) {
        if (properties.caCerts() != null) {
            return pluggedIn(CaCerts.read(properties.caCerts()), settings);
        }
        if (client != null) {
            Optional<CaCerts> secret = IstioCaSecrets.pluggedIn(client);
            return secret.isPresent() ? pluggedIn(secret.get(), settings)
                    : WorkloadCertificateAuthority.open(new SecretRootStore(client), settings);
        }
        return WorkloadCertificateAuthority.open(new DirectoryRootStore(properties.caDirectory()), settings);
    }

    /**
     * Where {@code ca} (chosen by {@link #open} with the same {@code properties} and {@code client}) keeps its key and
     * certificates, for operators: the {@code --ca-certs} or {@code <data>/ca} directory, or the Secret.
     */
    static String location(MeshpilotProperties properties, @Nullable KubernetesClient client,
            WorkloadCertificateAuthority ca) {
        if (properties.caCerts() != null) {
            return String.valueOf(properties.caCerts());
        }
        if (client != null) {
            return "Secret " + IstioCaSecrets.NAMESPACE + "/"
                    + (ca.rootRotatable() ? IstioCaSecrets.ROOT_SECRET : IstioCaSecrets.PLUGGED_SECRET);
        }
        return properties.caDirectory().toString();
    }

    private static WorkloadCertificateAuthority pluggedIn(CaCerts certs, CaSettings settings) {
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.plugIn(certs, settings);
        log.info("Plugged-in CA from {}: workload certificates issued by {}, trust anchor {}", certs.source(),
                ca.issuingCertificate().getSubjectX500Principal().getName(),
                ca.rootCertificate().getSubjectX500Principal().getName());
        return ca;
    }
}
