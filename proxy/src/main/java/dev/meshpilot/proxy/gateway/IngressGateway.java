package dev.meshpilot.proxy.gateway;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.proxy.endpoint.EndpointRegistry;
import dev.meshpilot.proxy.internal.Servers;
import dev.meshpilot.proxy.route.ProxyConfig;
import dev.meshpilot.proxy.route.RequestLog;
import dev.meshpilot.proxy.route.RoutingHandler;
import dev.meshpilot.proxy.route.Telemetry;
import dev.meshpilot.proxy.route.UpstreamClient;
import dev.meshpilot.proxy.tls.ProxyIdentity;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * The ingress gateway ({@link ProxyRef#ingressGateway()}): the shared {@link RoutingHandler} on the configured
 * port, standing for the Gateway server port {@code serverPort} (80 for HTTP).
 */
public final class IngressGateway implements AutoCloseable {

    public static final String PROXY_ID = "istio-ingressgateway";

    private final ProxyConfig config = new ProxyConfig();
    private final RequestLog log;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final UpstreamClient upstream;
    private final Undertow server;

    public IngressGateway(String bindHost, int port, int serverPort, EndpointRegistry registry, int logCapacity,
            Telemetry telemetry) {
        this(bindHost, port, serverPort, registry, logCapacity, telemetry, null);
    }

    /** @param identity the gateway's workload identity for mutual TLS to the mesh; null = plaintext only */
    public IngressGateway(String bindHost, int port, int serverPort, EndpointRegistry registry, int logCapacity,
            Telemetry telemetry, @Nullable ProxyIdentity identity) {
        requireNonNull(registry, "registry");
        this.upstream = new UpstreamClient(executor, identity);
        this.log = new RequestLog(PROXY_ID, logCapacity, telemetry);
        RoutingHandler handler = new RoutingHandler(ProxyRef.ingressGateway(), "gateway", authority -> serverPort,
                config, registry, upstream, log, executor);
        this.server = Servers.start(bindHost, List.of(new Servers.Listener(port, handler)));
    }

    /** Swaps in the snapshot atomically; returns the version now served. */
    public String apply(MeshSnapshot snapshot) {
        return config.apply(snapshot);
    }

    public String version() {
        return config.version();
    }

    public RequestLog log() {
        return log;
    }

    public InetSocketAddress address() {
        return Servers.address(server, 0);
    }

    @Override
    public void close() {
        server.stop();
        upstream.close();
        executor.shutdownNow();
    }
}
