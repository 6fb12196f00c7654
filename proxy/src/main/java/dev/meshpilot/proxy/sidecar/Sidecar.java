package dev.meshpilot.proxy.sidecar;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.proxy.authz.ExternalAuthorizer;
import dev.meshpilot.proxy.authz.InboundPolicy;
import dev.meshpilot.proxy.egress.HostResolver;
import dev.meshpilot.proxy.endpoint.EndpointRegistry;
import dev.meshpilot.proxy.internal.Authorities;
import dev.meshpilot.proxy.internal.Servers;
import dev.meshpilot.proxy.jwt.JwtAuthenticator;
import dev.meshpilot.proxy.jwt.MeshJwksFetcher;
import dev.meshpilot.proxy.route.ProxyConfig;
import dev.meshpilot.proxy.route.RequestLog;
import dev.meshpilot.proxy.route.RoutingHandler;
import dev.meshpilot.proxy.route.Telemetry;
import dev.meshpilot.proxy.route.UpstreamClient;
import dev.meshpilot.proxy.tls.InboundListener;
import dev.meshpilot.proxy.tls.ProxyIdentity;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The proxy beside one workload instance: an inbound listener that forwards to the instance and an outbound
 * listener that the instance uses as its HTTP proxy (routed by the shared {@link RoutingHandler}).
 */
public final class Sidecar implements AutoCloseable {

    private final String proxyId;
    private final ProxyRef self;
    private final ProxyConfig config = new ProxyConfig();
    private final RequestLog log;
    private final AtomicReference<@Nullable InetSocketAddress> workload = new AtomicReference<>();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final UpstreamClient upstream;
    private final Undertow server;
    /** The inbound listener serving mutual TLS and/or plaintext by the mTLS mode; null without an identity. */
    private final @Nullable InboundListener inboundTls;
    private final MeshJwksFetcher jwks;
    private final ExternalAuthorizer external;

    /** Starts both listeners on {@code bindHost}, port 0. Call {@link #attach} once the workload listens. */
    public Sidecar(String bindHost, String proxyId, ProxyRef self, EndpointRegistry registry, int logCapacity,
            Telemetry telemetry) {
        this(bindHost, proxyId, self, registry, logCapacity, telemetry, HostResolver.SYSTEM);
    }

    /** @param resolver where the outbound listener reaches hosts outside the mesh */
    public Sidecar(String bindHost, String proxyId, ProxyRef self, EndpointRegistry registry, int logCapacity,
            Telemetry telemetry, HostResolver resolver) {
        this(bindHost, proxyId, self, registry, logCapacity, telemetry, resolver, null, 0, 0,
                SidecarSecurity.DEFAULTS);
    }

    /** @param security operator token, gateway address and JWT limits of the inbound enforcement */
    public Sidecar(String bindHost, String proxyId, ProxyRef self, EndpointRegistry registry, int logCapacity,
            Telemetry telemetry, HostResolver resolver, SidecarSecurity security) {
        this(bindHost, proxyId, self, registry, logCapacity, telemetry, resolver, null, 0, 0, security);
    }

    /**
     * With {@code identity}, the inbound listener serves mutual TLS and/or plaintext by the mTLS mode of
     * {@code workloadPort} (the container port) in the current snapshot, and outbound calls use mutual TLS where
     * Istio would; without one, both are plaintext.
     */
    public Sidecar(String bindHost, String proxyId, ProxyRef self, EndpointRegistry registry, int logCapacity,
            Telemetry telemetry, HostResolver resolver, @Nullable ProxyIdentity identity, int workloadPort) {
        this(bindHost, proxyId, self, registry, logCapacity, telemetry, resolver, identity, workloadPort, 0,
                SidecarSecurity.DEFAULTS);
    }

    /**
     * @param inboundPort the inbound listener's port with an identity (0 = any free port; a standalone sidecar)
     * @param security    operator token, gateway address and JWT limits of the inbound enforcement
     */
    public Sidecar(String bindHost, String proxyId, ProxyRef self, EndpointRegistry registry, int logCapacity,
            Telemetry telemetry, HostResolver resolver, @Nullable ProxyIdentity identity, int workloadPort,
            int inboundPort, SidecarSecurity security) {
        this.proxyId = requireNonNull(proxyId, "proxyId");
        this.upstream = new UpstreamClient(executor, identity, security.credentials());
        this.self = requireNonNull(self, "self");
        this.log = new RequestLog(proxyId, logCapacity, telemetry);
        RoutingHandler outbound = new RoutingHandler(self, "source", authority -> Authorities.portOf(authority, 80),
                config, requireNonNull(registry, "registry"), upstream, log, executor, resolver);
        this.jwks = new MeshJwksFetcher(self, config::snapshot, this::outboundAddress,
                requireNonNull(security, "security").gateway(), executor);
        this.external = new ExternalAuthorizer(this::outboundAddress, executor);
        InboundPolicy policy = new InboundPolicy(self, config::snapshot, new JwtAuthenticator(jwks, security.jwt()),
                security.operatorToken(), external);
        InboundHandler inbound = new InboundHandler(self, workload::get, upstream, log, executor, policy);
        this.server = Servers.start(bindHost, identity == null
                ? List.of(new Servers.Listener(0, inbound), new Servers.Listener(0, outbound))
                : List.of(new Servers.Listener(0, outbound)));
        this.inboundTls = identity == null ? null : InboundListener.start(server.getWorker(), bindHost, inboundPort, inbound,
                identity, InboundListener.modeOf(config::snapshot, self, workloadPort), proxyId);
    }

    /** Points the inbound listener at the workload instance. */
    public void attach(InetSocketAddress workloadAddress) {
        workload.set(requireNonNull(workloadAddress, "workloadAddress"));
    }

    /** Swaps in the snapshot atomically; returns the version now served. */
    public String apply(MeshSnapshot snapshot) {
        String version = config.apply(snapshot);
        if (inboundTls != null) {
            inboundTls.enforce();
        }
        return version;
    }

    public String version() {
        return config.version();
    }

    public String proxyId() {
        return proxyId;
    }

    public ProxyRef self() {
        return self;
    }

    public RequestLog log() {
        return log;
    }

    public InetSocketAddress inboundAddress() {
        return inboundTls != null ? inboundTls.address() : Servers.address(server, 0);
    }

    public InetSocketAddress outboundAddress() {
        return Servers.address(server, inboundTls != null ? 0 : 1);
    }

    /** The mTLS-aware inbound listener, or null when this sidecar has no workload identity. */
    public @Nullable InboundListener inboundListener() {
        return inboundTls;
    }

    @Override
    public void close() {
        if (inboundTls != null) {
            inboundTls.close();
        }
        server.stop();
        jwks.close();
        external.close();
        upstream.close();
        executor.shutdownNow();
    }
}
