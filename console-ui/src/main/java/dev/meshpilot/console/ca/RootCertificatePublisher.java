package dev.meshpilot.console.ca;

import static dev.meshpilot.console.ca.IstioCaSecrets.NAMESPACE;
import static dev.meshpilot.console.ca.IstioCaSecrets.ROOT_CONFIG_MAP;
import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.identity.RootRotation;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the CA's trust bundle (one root, two during a root rotation) as ConfigMap {@code istio-ca-root-cert},
 * key {@code root-cert.pem}, in {@code istio-system} and, as istiod does, in every namespace but Kubernetes' own
 * ({@code kube-system}, {@code kube-public}, {@code kube-node-lease}): at startup, after every change of the bundle
 * (on a virtual thread: a change may be noticed during a TLS handshake), and in each namespace created later (an
 * informer, which re-lists and re-watches on its own after a lost connection). Without a cluster there is nothing to
 * publish.
 */
public final class RootCertificatePublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RootCertificatePublisher.class);
    /** Where istiod does not publish the root either. */
    private static final Set<String> KUBERNETES_NAMESPACES = Set.of("kube-system", "kube-public", "kube-node-lease");

    private final @Nullable KubernetesClient client;
    private final WorkloadCertificateAuthority ca;
    private final @Nullable AutoCloseable listening;
    private final @Nullable SharedIndexInformer<Namespace> namespaces;
    private final AtomicBoolean retirementWatched = new AtomicBoolean();

    /** Publishes now and on every change when {@code client} is given (cluster mode); else does nothing. */
    public RootCertificatePublisher(@Nullable KubernetesClient client, WorkloadCertificateAuthority ca) {
        this.client = client;
        this.ca = requireNonNull(ca, "ca");
        if (client == null) {
            listening = null;
            namespaces = null;
            return;
        }
        publishQuietly();
        listening = ca.addTrustListener(bundle -> Thread.ofVirtual().name("ca-root-publisher")
                .start(this::publishQuietly));
        namespaces = client.namespaces().runnableInformer(0).addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Namespace namespace) {
                publishQuietly(namespace.getMetadata().getName());
            }

            @Override
            public void onUpdate(Namespace before, Namespace after) {}

            @Override
            public void onDelete(Namespace namespace, boolean finalStateUnknown) {}
        });
        namespaces.start().whenComplete((started, failure) -> {
            if (failure != null) {
                log.warn("Cannot watch namespaces to publish the mesh root in new ones: {}", failure.getMessage());
            }
        });
    }

    /** Writes the current bundle; during a rotation, publishes again once the previous root retired. */
    synchronized void publish() {
        if (client == null) {
            return;
        }
        Set<String> targets = namespaces(client);
        for (String namespace : targets) {
            publishIn(client, namespace);
        }
        log.info("Published {} root certificate(s) in ConfigMap {} of {} namespace(s)", ca.trustBundle().roots().size(),
                ROOT_CONFIG_MAP, targets.size());
        ca.rootRotation().map(RootRotation::previousRootRetiresAt).ifPresent(this::publishAfter);
    }

    /** istio-system and every namespace but Kubernetes' own (istio-system only when they cannot be listed). */
    private static Set<String> namespaces(KubernetesClient client) {
        Set<String> targets = new TreeSet<>();
        targets.add(NAMESPACE);
        try {
            client.namespaces().list().getItems().forEach(n -> targets.add(n.getMetadata().getName()));
        } catch (KubernetesClientException e) {
            log.warn("Cannot list namespaces, publishing the mesh root in {} only: {}", NAMESPACE, e.getMessage());
        }
        targets.removeAll(KUBERNETES_NAMESPACES);
        return targets;
    }

    private synchronized void publishIn(KubernetesClient client, String namespace) {
        ConfigMap map = new ConfigMapBuilder().withNewMetadata().withNamespace(namespace).withName(ROOT_CONFIG_MAP)
                .endMetadata().addToData(IstioCaSecrets.ROOT_CONFIG_MAP_KEY, ca.trustBundle().toPem()).build();
        client.configMaps().inNamespace(namespace).resource(map).createOr(NonDeletingOperation::update);
    }

    private void publishQuietly(String namespace) {
        if (client == null || KUBERNETES_NAMESPACES.contains(namespace)) {
            return;
        }
        try {
            publishIn(client, namespace);
        } catch (KubernetesClientException e) {
            log.warn("Cannot publish the mesh root in ConfigMap {}/{}: {}", namespace, ROOT_CONFIG_MAP,
                    e.getMessage());
        }
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
            log.warn("Cannot publish the mesh root in ConfigMaps {}: {}", ROOT_CONFIG_MAP, e.getMessage());
        }
    }

    /** The bundle published in {@code istio-system}, if any (for tests and diagnostics). */
    Optional<String> published() {
        return published(NAMESPACE);
    }

    /** The bundle published in {@code namespace}, if any (for tests and diagnostics). */
    Optional<String> published(String namespace) {
        if (client == null) {
            return Optional.empty();
        }
        ConfigMap map = client.configMaps().inNamespace(namespace).withName(ROOT_CONFIG_MAP).get();
        return map == null ? Optional.empty()
                : Optional.ofNullable(map.getData().get(IstioCaSecrets.ROOT_CONFIG_MAP_KEY));
    }

    @Override
    public void close() throws Exception {
        if (namespaces != null) {
            namespaces.close();
        }
        if (listening != null) {
            listening.close();
        }
    }
}
