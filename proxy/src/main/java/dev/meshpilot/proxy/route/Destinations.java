package dev.meshpilot.proxy.route;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ClientTls;
import dev.meshpilot.policy.route.ExternalDestination;
import dev.meshpilot.policy.route.ExternalService;
import dev.meshpilot.policy.route.ResolvedDestination;
import dev.meshpilot.policy.route.TrafficPolicy;
import dev.meshpilot.policy.route.TrafficPolicy.OutlierDetection;
import dev.meshpilot.policy.route.WeightedDestination;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * What one proxy knows about a routed destination under one snapshot (port, cluster name, resolution, outlier
 * detection), asked of the snapshot once instead of per request. Starts over when the snapshot changes; a request
 * still on an older snapshot gets answers computed from that snapshot only.
 */
final class Destinations {

    /** Destinations cached per snapshot before the cache starts over. */
    private static final int MAX_CACHED = 4096;

    private volatile Generation current = new Generation(null, new ConcurrentHashMap<>());

    /**
     * @param port     the destination port (the route's, else the Service's only port, else the request's)
     * @param resolved null for a host that is not a Service (or has no such subset)
     * @param service  whether the host is a Service of the snapshot
     * @param outlier  the DestinationRule's outlier detection (only when {@code resolved} is not null)
     * @param policy   the DestinationRule's traffic policy for the destination ({@link TrafficPolicy#NONE} without one)
     * @param external where a ServiceEntry host's connections go, for the client namespace; null for other hosts
     * @param origination the DestinationRule {@code tls} the client namespace sees when it says SIMPLE or MUTUAL (the
     *                 proxy originates TLS), else null
     */
    record Info(int port, String cluster, @Nullable ResolvedDestination resolved, boolean service,
            @Nullable OutlierDetection outlier, TrafficPolicy policy, @Nullable ExternalDestination external,
            @Nullable ClientTls origination) {}

    private record Key(String clientNamespace, String host, @Nullable String subset, @Nullable Integer port,
            int requestPort) {}

    private record Generation(@Nullable MeshSnapshot snapshot, ConcurrentMap<Key, Info> infos) {}

    /** @param clientNamespace the namespace of the proxy that asks (ServiceEntry visibility and subsets) */
    Info of(MeshSnapshot snapshot, String clientNamespace, WeightedDestination dest, int requestPort) {
        Generation generation = current;
        if (generation.snapshot() != snapshot) {
            generation = new Generation(snapshot, new ConcurrentHashMap<>());
            current = generation;
        }
        Key key = new Key(clientNamespace, dest.host(), dest.subset(), dest.port(), requestPort);
        Info info = generation.infos().get(key);
        if (info == null) {
            info = compute(snapshot, clientNamespace, dest, requestPort);
            if (generation.infos().size() >= MAX_CACHED) {
                generation.infos().clear();
            }
            generation.infos().put(key, info);
        }
        return info;
    }

    private static Info compute(MeshSnapshot snapshot, String clientNamespace, WeightedDestination dest,
            int requestPort) {
        int port = dest.port() != null ? dest.port() : RouteRules.defaultPort(snapshot, dest.host(), requestPort);
        String cluster = "outbound|" + port + "|" + (dest.subset() == null ? "" : dest.subset()) + "|" + dest.host();
        ResolvedDestination resolved = snapshot.resolve(dest.host(), dest.subset(), port).orElse(null);
        boolean service = resolved != null || RouteRules.isService(snapshot, dest.host());
        TrafficPolicy policy = snapshot.trafficPolicy(dest.host(), dest.subset(), port);
        ExternalDestination external = service ? null
                : snapshot.resolveExternal(clientNamespace, dest.host(), dest.subset(), port).orElse(null);
        if (external != null && external.service().workloadSelector() != null) {
            // a ServiceEntry whose workloadSelector picks mesh workloads: reached like a Service's endpoints
            resolved = selected(external);
            service = true;
            external = null;
        }
        OutlierDetection outlier = resolved == null && external == null ? null : policy.outlierDetection();
        ClientTls tls = snapshot.trafficPolicy(clientNamespace, dest.host(), dest.subset(), port).tls();
        return new Info(port, cluster, resolved, service, outlier, policy, external,
                tls != null && tls.originates() ? tls : null);
    }

    /**
     * The mesh workloads of a ServiceEntry's workloadSelector, in its namespace; null with a subset (the subset's
     * labels are not exposed for ServiceEntry hosts: no endpoint rather than the wrong ones).
     */
    private static @Nullable ResolvedDestination selected(ExternalDestination external) {
        ExternalService se = external.service();
        if (external.subset() != null || se.workloadSelector() == null) {
            return null;
        }
        ExternalService.Port port = external.port();
        return new ResolvedDestination(se.namespace(), se.name(), se.workloadSelector(),
                port.targetPort() != null ? port.targetPort() : port.number());
    }
}
