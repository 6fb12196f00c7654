package dev.meshpilot.proxy.gateway;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.proxy.egress.HostResolver;
import dev.meshpilot.proxy.endpoint.EndpointRegistry;
import dev.meshpilot.proxy.gateway.tls.GatewayCredentials;
import dev.meshpilot.proxy.gateway.tls.HttpsListener;
import dev.meshpilot.proxy.gateway.tls.Passthrough;
import dev.meshpilot.proxy.gateway.tls.TlsServers;
import dev.meshpilot.proxy.internal.Servers;
import dev.meshpilot.proxy.route.ProxyConfig;
import dev.meshpilot.proxy.route.RequestLog;
import dev.meshpilot.proxy.route.RoutingHandler;
import dev.meshpilot.proxy.route.Telemetry;
import dev.meshpilot.proxy.route.UpstreamClient;
import dev.meshpilot.proxy.tls.ProxyIdentity;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * The ingress gateway ({@link ProxyRef#ingressGateway()}): the shared {@link RoutingHandler} on the HTTP port, standing
 * for the Gateway server port 80 (with {@code tls.httpsRedirect}), and, when an HTTPS port is given, the Gateway
 * servers of port 443 on it ({@link HttpsListener}: SIMPLE, MUTUAL, ISTIO_MUTUAL terminated and routed like HTTP,
 * PASSTHROUGH by SNI), as istio-ingressgateway's container ports map its Service ports.
 */
public final class IngressGateway implements AutoCloseable {

    public static final String PROXY_ID = "istio-ingressgateway";
    /** The Gateway server ports the embedded gateway serves. */
    public static final int HTTP_SERVER_PORT = 80;
    public static final int HTTPS_SERVER_PORT = 443;

    /**
     * Where the gateway listens.
     *
     * @param httpPort    the HTTP port (0 = any free port)
     * @param httpsPort   the HTTPS port (0 = any free port), -1 for none
     * @param credentials the directory of {@code credentialName}s ({@code <data>/credentials}), or null
     * @param resolver    where PASSTHROUGH destinations outside the mesh are reached
     */
    public record Ports(String bindHost, int httpPort, int httpsPort, @Nullable Path credentials,
            HostResolver resolver) {
        public Ports {
            requireNonNull(bindHost, "bindHost");
            requireNonNull(resolver, "resolver");
        }
    }

    private final ProxyConfig config = new ProxyConfig();
    private final RequestLog log;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final UpstreamClient upstream;
    private final Undertow server;
    private final HttpsRedirect redirect;
    private final @Nullable HttpsListener https;
    private final @Nullable TlsServers tlsServers;

    public IngressGateway(String bindHost, int port, int serverPort, EndpointRegistry registry, int logCapacity,
            Telemetry telemetry) {
        this(bindHost, port, serverPort, registry, logCapacity, telemetry, null);
    }

    /** @param identity the gateway's workload identity for mutual TLS to the mesh; null = plaintext only */
    public IngressGateway(String bindHost, int port, int serverPort, EndpointRegistry registry, int logCapacity,
            Telemetry telemetry, @Nullable ProxyIdentity identity) {
        this(new Ports(bindHost, port, -1, null, HostResolver.SYSTEM), serverPort, registry, logCapacity, telemetry,
                identity);
    }

    /** @param identity the gateway's workload identity (mutual TLS to the mesh, ISTIO_MUTUAL servers), or null */
    public IngressGateway(Ports ports, EndpointRegistry registry, int logCapacity, Telemetry telemetry,
            @Nullable ProxyIdentity identity) {
        this(ports, HTTP_SERVER_PORT, registry, logCapacity, telemetry, identity);
    }

    private IngressGateway(Ports ports, int serverPort, EndpointRegistry registry, int logCapacity,
            Telemetry telemetry, @Nullable ProxyIdentity identity) {
        requireNonNull(ports, "ports");
        requireNonNull(registry, "registry");
        this.upstream = new UpstreamClient(executor, identity, ports.credentials());
        this.log = new RequestLog(PROXY_ID, logCapacity, telemetry);
        RoutingHandler handler = new RoutingHandler(ProxyRef.ingressGateway(), "gateway", authority -> serverPort,
                config, registry, upstream, log, executor, ports.resolver());
        this.redirect = new HttpsRedirect(handler, this::httpsPort);
        this.server = Servers.start(ports.bindHost(), List.of(new Servers.Listener(ports.httpPort(), redirect)));
        if (ports.httpsPort() < 0) {
            this.https = null;
            this.tlsServers = null;
            return;
        }
        RoutingHandler terminated = new RoutingHandler(ProxyRef.ingressGateway(), "gateway",
                authority -> HTTPS_SERVER_PORT, config, registry, upstream, log, executor, ports.resolver());
        this.https = HttpsListener.start(server.getWorker(), ports.bindHost(), ports.httpsPort(), HTTPS_SERVER_PORT,
                terminated, new Passthrough(config::snapshot, registry, ports.resolver(), log), executor);
        this.tlsServers = new TlsServers(server.getWorker().getXnio(), new GatewayCredentials(ports.credentials()),
                identity);
    }

    /** Swaps in the snapshot atomically; returns the version now served. */
    public String apply(MeshSnapshot snapshot) {
        applyWithMessages(snapshot);
        return config.version();
    }

    /**
     * Swaps in the snapshot and the Gateway servers it declares; returns one message per server that does not serve
     * (a certificate that cannot be loaded, a port the embedded gateway does not expose).
     */
    public List<String> applyWithMessages(MeshSnapshot snapshot) {
        requireNonNull(snapshot, "snapshot");
        List<GatewayServer> servers = GatewayServers.of(snapshot, ProxyRef.ingressGateway());
        List<String> messages = new ArrayList<>();
        redirect.serve(servers.stream().filter(s -> s.port() == HTTP_SERVER_PORT && !s.isTls()).toList());
        if (https != null && tlsServers != null) {
            TlsServers.Result result = tlsServers.build(servers, HTTPS_SERVER_PORT);
            https.serve(result.servers());
            messages.addAll(result.messages());
        }
        for (GatewayServer s : servers) {
            boolean served = s.port() == HTTP_SERVER_PORT || (s.port() == HTTPS_SERVER_PORT && https != null);
            if (!served) {
                messages.add(s.where() + ": port.number: " + s.port() + " is not served by the embedded gateway "
                        + "(expected: 80" + (https != null ? " or 443" : "") + ")");
            }
        }
        config.apply(snapshot);
        return List.copyOf(messages);
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

    /** The HTTPS port's address; fails when the gateway was started without one. */
    public InetSocketAddress httpsAddress() {
        if (https == null) {
            throw new IllegalStateException("the gateway has no HTTPS port (started with httpsPort -1)");
        }
        return https.address();
    }

    private int httpsPort() {
        return https == null ? HTTPS_SERVER_PORT : https.address().getPort();
    }

    @Override
    public void close() {
        if (https != null) {
            https.close();
        }
        server.stop();
        upstream.close();
        executor.shutdownNow();
    }
}
