package dev.meshpilot.proxy.jwt;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.proxy.internal.ProxiedClients;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A sidecar's JWKS fetcher: a {@code jwksUri} whose host the mesh serves goes through the mesh, as the workload's
 * own calls would. A host the sidecar routes (a Service, a ServiceEntry, a VirtualService bound to {@code mesh}) is
 * fetched through the sidecar's outbound listener used as HTTP proxy; a host only a gateway's VirtualService binds
 * (the tutorial's {@code auth.kubernetes.newtech.academy}) through the ingress gateway, where the user's DNS sends it;
 * every other host (and every {@code https} URI) directly. Each fetch has the caller's timeout; only 200 counts.
 */
public final class MeshJwksFetcher implements JwksFetcher, AutoCloseable {

    /** How a fetch went out: for tests and the log. */
    public enum Route { OUTBOUND, GATEWAY, DIRECT }

    private final ProxyRef self;
    private final Supplier<@Nullable MeshSnapshot> snapshot;
    private final Supplier<@Nullable InetSocketAddress> outbound;
    private final Supplier<@Nullable InetSocketAddress> gateway;
    private final ProxiedClients clients;

    /**
     * @param outbound the sidecar's outbound listener
     * @param gateway  the ingress gateway's address, null while there is none
     */
    public MeshJwksFetcher(ProxyRef self, Supplier<@Nullable MeshSnapshot> snapshot,
            Supplier<@Nullable InetSocketAddress> outbound, Supplier<@Nullable InetSocketAddress> gateway,
            Executor executor) {
        this.self = requireNonNull(self, "self");
        this.snapshot = requireNonNull(snapshot, "snapshot");
        this.outbound = requireNonNull(outbound, "outbound");
        this.gateway = requireNonNull(gateway, "gateway");
        this.clients = new ProxiedClients(requireNonNull(executor, "executor"));
    }

    @Override
    public String fetch(URI uri, Duration timeout) throws IOException, InterruptedException {
        requireNonNull(uri, "uri");
        InetSocketAddress proxy = switch (route(uri)) {
            case OUTBOUND -> outbound.get();
            case GATEWAY -> gateway.get();
            case DIRECT -> null;
        };
        return JwksFetcher.http(clients.via(proxy)).fetch(uri, timeout);
    }

    /** Where a fetch of {@code uri} goes with the snapshot served now. */
    public Route route(URI uri) {
        MeshSnapshot mesh = snapshot.get();
        String host = uri.getHost();
        if (mesh == null || host == null || !"http".equals(uri.getScheme().toLowerCase(Locale.ROOT))) {
            return Route.DIRECT;
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String authority = uri.getPort() < 0 ? host : host + ":" + port;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (outbound.get() != null && mesh.route(self, RequestAttributes.of("GET", authority, path, port)).routed()) {
            return Route.OUTBOUND;
        }
        if (gateway.get() != null
                && mesh.route(ProxyRef.ingressGateway(), RequestAttributes.of("GET", authority, path, port)).routed()) {
            return Route.GATEWAY;
        }
        return Route.DIRECT;
    }


    @Override
    public void close() {
        clients.close();
    }
}
