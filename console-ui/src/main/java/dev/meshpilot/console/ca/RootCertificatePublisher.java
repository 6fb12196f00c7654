package dev.meshpilot.console.ca;

import static dev.meshpilot.console.ca.IstioCaSecrets.NAMESPACE;
import static dev.meshpilot.console.ca.IstioCaSecrets.ROOT_CONFIG_MAP;
import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.identity.RootRotation;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the CA's trust bundle (one root, two during a root rotation) as ConfigMap
 * {@code istio-system/istio-ca-root-cert}, key {@code root-cert.pem}, at startup and after every change of the bundle
 * (on a virtual thread: a change may be noticed during a TLS handshake). Istio copies that ConfigMap into every
 * namespace; here only {@code istio-system} is written so far. Without a cluster there is nothing to publish.
 */
public final class RootCertificatePublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RootCertificatePublisher.class);

    private final @Nullable KubernetesClient client;
    private final WorkloadCertificateAuthority ca;
    private final @Nullable AutoCloseable listening;
    private final AtomicBoolean retirementWatched = new AtomicBoolean();

    /** Publishes now and on every change when {@code client} is given (cluster mode); else does nothing. */
    public RootCertificatePublisher(@Nullable KubernetesClient client, WorkloadCertificateAuthority ca) {
        this.client = client;
        this.ca = requireNonNull(ca, "ca");
        if (client == null) {
            listening = null;
            return;
        }
        publishQuietly();
        listening = ca.addTrustListener(bundle -> Thread.ofVirtual().name("ca-root-publisher")
                .start(this::publishQuietly));
    }

    /** Writes the current bundle; during a rotation, publishes again once the previous root retired. */
    synchronized void publish() {
        if (client == null) {
            return;
        }
        String pem = ca.trustBundle().toPem();
        ConfigMap map = new ConfigMapBuilder().withNewMetadata().withNamespace(NAMESPACE).withName(ROOT_CONFIG_MAP)
                .endMetadata().addToData(IstioCaSecrets.ROOT_CONFIG_MAP_KEY, pem).build();
        client.configMaps().inNamespace(NAMESPACE).resource(map).createOr(NonDeletingOperation::update);
        log.info("Published {} root certificate(s) in ConfigMap {}/{}", ca.trustBundle().roots().size(), NAMESPACE,
                ROOT_CONFIG_MAP);
        ca.rootRotation().map(RootRotation::previousRootRetiresAt).ifPresent(this::publishAfter);
    }

    private void publishAfter(Instant retiresAt) {
        if (!retirementWatched.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("ca-root-retirement").start(() -> {
            try {
                Thread.sleep(Math.max(0, Duration.between(Instant.now(), retiresAt).toMillis()) + 10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                retirementWatched.set(false);
            }
            publishQuietly();
        });
    }

    private void publishQuietly() {
        try {
            publish();
        } catch (KubernetesClientException e) {
            log.warn("Cannot publish the mesh root in ConfigMap {}/{}: {}", NAMESPACE, ROOT_CONFIG_MAP,
                    e.getMessage());
        }
    }

    /** The published bundle, if any (for tests and diagnostics). */
    Optional<String> published() {
        if (client == null) {
            return Optional.empty();
        }
        ConfigMap map = client.configMaps().inNamespace(NAMESPACE).withName(ROOT_CONFIG_MAP).get();
        return map == null ? Optional.empty()
                : Optional.ofNullable(map.getData().get(IstioCaSecrets.ROOT_CONFIG_MAP_KEY));
    }

    @Override
    public void close() throws Exception {
        if (listening != null) {
            listening.close();
        }
    }
}
