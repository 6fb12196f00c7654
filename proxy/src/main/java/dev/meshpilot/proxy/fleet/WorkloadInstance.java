package dev.meshpilot.proxy.fleet;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.workload.WorkloadSpec;
import dev.meshpilot.proxy.echo.EchoEnvironment;
import dev.meshpilot.proxy.echo.EchoKeys;
import dev.meshpilot.proxy.echo.HttpEcho;
import dev.meshpilot.proxy.egress.HostResolver;
import dev.meshpilot.proxy.endpoint.Endpoint;
import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.proxy.endpoint.EndpointRegistry;
import dev.meshpilot.proxy.route.Telemetry;
import dev.meshpilot.proxy.sidecar.Sidecar;
import dev.meshpilot.proxy.sidecar.SidecarSecurity;
import dev.meshpilot.proxy.tls.ProxyIdentity;
import dev.meshpilot.proxy.tls.UpstreamTls;
import java.security.SecureRandom;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One running pod: an {@link HttpEcho} behind its {@link Sidecar} with its workload identity (when injected); a
 * workload without a sidecar calls through the plain Service network ({@link NoSidecarProxy}).
 */
final class WorkloadInstance implements AutoCloseable {

    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    final String id;
    final WorkloadSpec spec;
    final @Nullable Sidecar sidecar;
    final HttpEcho echo;
    final Endpoint endpoint;
    /** The sidecar's workload identity, or the plain Service network of a workload without a sidecar. */
    private final AutoCloseable network;

    private WorkloadInstance(String id, WorkloadSpec spec, @Nullable Sidecar sidecar, HttpEcho echo, Endpoint endpoint,
            AutoCloseable network) {
        this.network = network;
        this.id = id;
        this.spec = spec;
        this.sidecar = sidecar;
        this.echo = echo;
        this.endpoint = endpoint;
    }

    /** Starts the sidecar, then the workload, applies {@code snapshot}; does not register the endpoint. */
    static WorkloadInstance start(String bindHost, WorkloadSpec spec, EndpointRegistry registry, MeshSnapshot snapshot,
            int logCapacity, Telemetry telemetry, HostResolver resolver, FleetIdentities identities,
            Supplier<@Nullable MeshSnapshot> live, SidecarSecurity security) {
        requireNonNull(spec, "spec");
        String id = spec.name() + "-" + suffix();
        Map<String, String> env = EchoEnvironment.resolve(spec.env(),
                new EchoEnvironment.PodInfo(id, spec.namespace(), spec.serviceAccount()));
        Sidecar sidecar = null;
        ProxyIdentity identity = null;
        NoSidecarProxy plain = null;
        if (spec.sidecarInjected()) {
            identity = identities.issue(spec.namespace(), spec.serviceAccount());
            sidecar = new Sidecar(bindHost, id, ProxyRef.sidecar(spec.namespace(), spec.name(), spec.labels(),
                    spec.serviceAccount()), registry, logCapacity, telemetry, resolver, identity,
                    spec.containerPorts().isEmpty() ? 0 : spec.containerPorts().get(0), 0, security);
            sidecar.apply(snapshot);
        } else {
            plain = new NoSidecarProxy(bindHost, spec.namespace(), live, registry, resolver);
        }
        HttpEcho echo;
        try {
            echo = new HttpEcho(bindHost, env, sidecar != null ? sidecar.outboundAddress() : plain.address(),
                    EchoKeys.forDeployment(spec.namespace(), spec.name()));
        } catch (RuntimeException e) {
            if (sidecar != null) {
                sidecar.close();
                identity.close();
            } else {
                plain.close();
            }
            throw e;
        }
        if (sidecar != null) {
            sidecar.attach(echo.address());
        }
        Endpoint endpoint = new Endpoint(id, spec.namespace(), spec.name(), sidecar == null ? spec.labels()
                : UpstreamTls.withSidecarLabel(spec.labels()), spec.serviceAccount(),
                sidecar != null ? sidecar.inboundAddress() : echo.address());
        return new WorkloadInstance(id, spec, sidecar, echo, endpoint, sidecar != null ? identity : plain);
    }

    /** Whether this instance runs {@code other}'s pod template (everything but the replica count). */
    boolean runs(WorkloadSpec other) {
        return spec.labels().equals(other.labels()) && spec.image().equals(other.image())
                && spec.env().equals(other.env()) && spec.serviceAccount().equals(other.serviceAccount())
                && spec.containerPorts().equals(other.containerPorts())
                && spec.sidecarInjected() == other.sidecarInjected();
    }

    private static String suffix() {
        StringBuilder s = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }

    @Override
    public void close() {
        echo.close();
        if (sidecar != null) {
            sidecar.close();
        }
        try {
            network.close();
        } catch (Exception e) {
            throw new IllegalStateException(id + ": cannot close " + network, e);
        }
    }
}
