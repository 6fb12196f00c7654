package dev.meshpilot.proxy.authz;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.workload.ServiceSpec;
import dev.meshpilot.policy.workload.WorkloadSpec;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The destination port authorization sees ({@code ports}, {@code destination.port}): the port the workload listens
 * on in its Deployment (the first container port), else the targetPort of a Service selecting it, else 80. Looked up
 * once per snapshot.
 */
final class WorkloadPort {

    private record Cached(MeshSnapshot snapshot, int port) {}

    private final ProxyRef self;
    private final AtomicReference<@Nullable Cached> cached = new AtomicReference<>();

    WorkloadPort(ProxyRef self) {
        this.self = self;
    }

    int of(MeshSnapshot snapshot) {
        Cached c = cached.get();
        if (c != null && c.snapshot() == snapshot) {
            return c.port();
        }
        int port = lookup(snapshot);
        cached.set(new Cached(snapshot, port));
        return port;
    }

    private int lookup(MeshSnapshot snapshot) {
        for (WorkloadSpec w : snapshot.workloads()) {
            if (w.namespace().equals(self.namespace()) && w.name().equals(self.deployment())
                    && !w.containerPorts().isEmpty()) {
                return w.containerPorts().get(0);
            }
        }
        for (ServiceSpec s : snapshot.services()) {
            if (s.namespace().equals(self.namespace()) && !s.selector().isEmpty() && !s.ports().isEmpty()
                    && s.selector().entrySet().stream().allMatch(e -> e.getValue().equals(self.labels().get(e.getKey())))) {
                return s.ports().get(0).targetPort();
            }
        }
        return 80;
    }
}
