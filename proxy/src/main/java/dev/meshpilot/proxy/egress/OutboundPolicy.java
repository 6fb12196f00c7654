package dev.meshpilot.proxy.egress;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.EgressDecision;

/**
 * Istio's {@code outboundTrafficPolicy} for a sidecar call the snapshot does not route, as
 * {@link MeshSnapshot#egress} decides it (the Sidecar resource that applies, else the mesh default): a host that is
 * neither a Service nor a ServiceEntry passes through to its original {@code host:port} under {@code ALLOW_ANY} and
 * is refused (502) under {@code REGISTRY_ONLY}; a registry host that no route matched stays a 404.
 */
public final class OutboundPolicy {


    private OutboundPolicy() {}

    /** What happens to an unrouted call from {@code proxy} to {@code host} (without port) on {@code port}. */
    public static Verdict decide(MeshSnapshot snapshot, ProxyRef proxy, String host, int port) {
        requireNonNull(snapshot, "snapshot");
        requireNonNull(proxy, "proxy");
        requireNonNull(host, "host");
        EgressDecision d = snapshot.egress(proxy.namespace(), proxy.labels(), host, port);
        if (!d.allowed()) {
            return new Verdict(Action.BLOCK, d.mode(), d.reason());
        }
        if (d.inRegistry()) {
            return new Verdict(Action.NO_ROUTE, d.mode(), d.reason());
        }
        return new Verdict(Action.PASSTHROUGH, d.mode(), d.reason());
    }

    public enum Action {
        /** Forward to the original destination ({@code PassthroughCluster}). */
        PASSTHROUGH,
        /** Answer 502 ({@code BlackHoleCluster}): REGISTRY_ONLY and the host is not in the registry. */
        BLOCK,
        /** A registry host without a matching route: 404 {@code NR}. */
        NO_ROUTE
    }

    /**
     * @param mode   the outbound traffic policy that applied
     * @param reason one sentence for the log, e.g. {@code REGISTRY_ONLY: ifconfig.co is not in the service registry}
     */
    public record Verdict(Action action, String mode, String reason) {
        public Verdict {
            requireNonNull(action, "action");
            requireNonNull(mode, "mode");
            requireNonNull(reason, "reason");
        }
    }
}
