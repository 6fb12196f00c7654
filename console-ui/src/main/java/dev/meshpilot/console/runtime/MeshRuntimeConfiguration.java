package dev.meshpilot.console.runtime;

import dev.meshpilot.console.canary.CanaryService;
import dev.meshpilot.console.config.HostOverrides;
import dev.meshpilot.console.config.MeshpilotProperties;
import dev.meshpilot.console.security.OperatorToken;
import dev.meshpilot.proxy.fleet.EmbeddedFleet;
import dev.meshpilot.proxy.fleet.FleetOptions;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import dev.meshpilot.sync.MeshRepository;
import dev.meshpilot.sync.SyncLoop;
import dev.meshpilot.sync.SyncTarget;
import dev.meshpilot.sync.kube.KubernetesTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded runtime as beans: the mesh repository (seeded on first start), the fleet with its ingress
 * gateway (hosts outside the mesh resolved through {@code meshpilot.resolve} first; workload certificates from the
 * mesh CA of {@code CaConfiguration}: {@code <data>/ca} outside the repository, a plugged-in CA, or the
 * cluster's; the operator token in {@code <data>/operator-token}; its HTTPS
 * port {@code meshpilot.gateway-https-port} with the credentials of {@code <data>/credentials}), and
 * the sync loop that
 * applies every commit of the branch to the fleet (and in cluster mode then to the cluster: the
 * {@code KubernetesTarget} of {@code kube.KubernetesConfiguration}). Spring closes them in
 * reverse order on shutdown (loop, fleet, repository).
 */
@Configuration(proxyBeanMethods = false)
public class MeshRuntimeConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MeshRuntimeConfiguration.class);

    @Bean(destroyMethod = "close")
    MeshRepository meshRepository(MeshpilotProperties properties) {
        try {
            Files.createDirectories(properties.data());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + properties.data(), e);
        }
        MeshRepository repository = MeshRepository.openOrInit(properties.meshRepository());
        MeshSeed.seedIfEmpty(repository, properties.branch()).ifPresent(commit ->
                log.info("Seeded {} with the tutorial's starting point (commit {})",
                        properties.meshRepository(), commit));
        return repository;
    }

    @Bean
    OperatorToken operatorToken(MeshpilotProperties properties) {
        return OperatorToken.loadOrCreate(properties.data().resolve("operator-token"));
    }

    @Bean(destroyMethod = "close")
    EmbeddedFleet embeddedFleet(MeshpilotProperties properties, OperatorToken operatorToken,
            WorkloadCertificateAuthority ca) {
        HostOverrides overrides = properties.hostOverrides();
        if (!overrides.isEmpty()) {
            log.info("Hosts outside the mesh resolved locally (--resolve): {}", overrides);
        }
        EmbeddedFleet fleet = new EmbeddedFleet(
                new FleetOptions("127.0.0.1", properties.gatewayPort()).withResolver(overrides)
                        .withGatewayHttpsPort(properties.gatewayHttpsPort())
                        .withCa(ca)
                        .withCredentialsDirectory(properties.data().resolve("credentials"))
                        .withOperatorToken(operatorToken.value()));
        fleet.start();
        log.info("Ingress gateway on 127.0.0.1:{} (HTTP, Gateway servers of port 80) and 127.0.0.1:{} (HTTPS, Gateway "
                + "servers of port 443; --gateway-https-port); credentialName in {}/<namespace>/<name>/",
                fleet.gatewayPort(), fleet.gatewayHttpsPort(), properties.data().resolve("credentials"));
        return fleet;
    }

    @Bean
    FleetSyncTarget fleetSyncTarget(EmbeddedFleet fleet) {
        return new FleetSyncTarget(fleet);
    }

    @Bean
    SyncEvents syncEvents() {
        return new SyncEvents();
    }

    @Bean(destroyMethod = "close")
    SyncLoop syncLoop(MeshRepository repository, MeshpilotProperties properties, FleetSyncTarget fleetTarget,
            ObjectProvider<KubernetesTarget> kubernetesTarget, SyncEvents events, EmbeddedFleet fleet) {
        List<SyncTarget> targets = new ArrayList<>(List.of(fleetTarget));
        kubernetesTarget.ifAvailable(targets::add); // cluster mode: the commit's YAML to the cluster too
        SyncLoop loop = new SyncLoop(repository, properties.branch(), targets);
        events.subscribe(new GatewayReadyLog(fleet::gatewayPort, fleet::gatewayHttpsPort));
        loop.addListener(events);
        loop.start();
        return loop;
    }

    @Bean
    CanaryService canaryService(MeshRepository repository, MeshpilotProperties properties) {
        return new CanaryService(repository, properties.branch());
    }

    @Bean
    MeshPorts meshPorts(EmbeddedFleet fleet) {
        return new MeshPorts(fleet);
    }
}
