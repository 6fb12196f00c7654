package dev.meshpilot.proxy.standalone;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.observability.metrics.IstioMetrics;
import dev.meshpilot.policy.CompileResult;
import dev.meshpilot.policy.Finding;
import dev.meshpilot.policy.MeshCompiler;
import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.proxy.endpoint.Endpoint;
import dev.meshpilot.proxy.endpoint.EndpointRegistry;
import dev.meshpilot.proxy.internal.Authorities;
import dev.meshpilot.proxy.internal.Servers;
import dev.meshpilot.proxy.route.ProxyConfig;
import dev.meshpilot.proxy.route.RequestLog;
import dev.meshpilot.proxy.route.RoutingHandler;
import dev.meshpilot.proxy.route.Telemetry;
import dev.meshpilot.proxy.route.UpstreamClient;
import dev.meshpilot.proxy.tls.ProxyIdentity;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * One sidecar outbound listener run on its own: every request goes through the real {@link RoutingHandler}
 * (route → weighted pick → resolve → round robin → forward with {@link UpstreamClient}) to a single upstream.
 * The mesh is a generated snapshot: Service {@code upstream.bench} (selector {@code app: upstream}) with a
 * VirtualService routing it to itself, and one endpoint, the upstream address.
 *
 * <pre>
 * java ... dev.meshpilot.proxy.standalone.StandaloneSidecar --listen 127.0.0.1:15001 --upstream 127.0.0.1:8080
 *     [--telemetry metrics|none]
 * </pre>
 *
 * The sidecar stands for workload {@code client} in namespace {@code bench}; a request whose Host is not a mesh
 * name (an IP literal or {@code localhost}) is taken as addressed to {@code upstream}, so plain clients work too.
 */
public final class StandaloneSidecar implements AutoCloseable {

    public static final String NAMESPACE = "bench";
    public static final String SERVICE = "upstream";

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final UpstreamClient upstream;
    private final ProxyConfig config = new ProxyConfig();
    private final Undertow server;

    public StandaloneSidecar(InetSocketAddress listen, InetSocketAddress upstreamAddress, boolean metrics) {
        this(listen, upstreamAddress, metrics, null);
    }

    /**
     * With {@code identity} (workload {@code client} of namespace {@code bench}), the upstream is taken as the inbound
     * listener of another sidecar ({@link BenchInbound}) and reached over mutual TLS (DestinationRule ISTIO_MUTUAL),
     * expecting it to prove {@code spiffe://cluster.local/ns/bench/sa/upstream}.
     */
    public StandaloneSidecar(InetSocketAddress listen, InetSocketAddress upstreamAddress, boolean metrics,
            @Nullable ProxyIdentity identity) {
        requireNonNull(listen, "listen");
        requireNonNull(upstreamAddress, "upstreamAddress");
        this.upstream = new UpstreamClient(executor, identity);
        config.apply(snapshot(identity != null));
        EndpointRegistry registry = new EndpointRegistry();
        registry.register(new Endpoint(SERVICE + "-bench0", NAMESPACE, SERVICE, Map.of("app", SERVICE), SERVICE,
                upstreamAddress));
        Telemetry telemetry = telemetry(metrics);
        ProxyRef self = ProxyRef.sidecar(NAMESPACE, "client", Map.of("app", "client", "version", "v1"), "client");
        RequestLog log = new RequestLog("client-bench0." + NAMESPACE, 100, telemetry);
        RoutingHandler routing = new RoutingHandler(self, "source", authority -> Authorities.portOf(authority, 80),
                config, registry, upstream, log, executor);
        this.server = Servers.start(listen.getHostString(),
                List.of(new Servers.Listener(listen.getPort(), new DefaultAuthority(routing))));
    }

    /** The mesh this sidecar serves, compiled from YAML by the policy engine like any other snapshot. */
    static MeshSnapshot snapshot(boolean mutualTls) {
        String yaml = """
                apiVersion: v1
                kind: Service
                metadata:
                  name: upstream
                  namespace: bench
                spec:
                  selector:
                    app: upstream
                  ports:
                  - name: http
                    port: 80
                    targetPort: 8080
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: upstream
                  namespace: bench
                spec:
                  hosts:
                  - upstream
                  http:
                  - route:
                    - destination:
                        host: upstream
                """ + (mutualTls ? MUTUAL_TLS : "");
        CompileResult result = MeshCompiler.compile("bench-1", List.of(new SourceFile("bench/upstream.yaml", yaml)));
        MeshSnapshot snapshot = result.snapshot();
        if (snapshot == null) {
            throw new IllegalStateException("benchmark mesh does not compile: "
                    + result.findings().stream().map(Finding::toString).toList());
        }
        return snapshot;
    }

    static Telemetry telemetry(boolean metrics) {
        return metrics ? new Telemetry(new IstioMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)), null)
                : Telemetry.none();
    }

    /** STRICT mTLS in namespace bench and ISTIO_MUTUAL toward the upstream service. */
    private static final String MUTUAL_TLS = """
            ---
            apiVersion: security.istio.io/v1beta1
            kind: PeerAuthentication
            metadata:
              name: default
              namespace: bench
            spec:
              mtls:
                mode: STRICT
            ---
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata:
              name: upstream
              namespace: bench
            spec:
              host: upstream.bench.svc.cluster.local
              trafficPolicy:
                tls:
                  mode: ISTIO_MUTUAL
            """;

    public InetSocketAddress address() {
        return Servers.address(server, 0);
    }

    @Override
    public void close() {
        server.stop();
        upstream.close();
        executor.shutdownNow();
    }

    /** Requests addressed to an IP literal or localhost are taken as addressed to the upstream service. */
    private record DefaultAuthority(HttpHandler next) implements HttpHandler {
        @Override
        public void handleRequest(io.undertow.server.HttpServerExchange exchange) throws Exception {
            String host = exchange.getRequestHeaders().getFirst(io.undertow.util.Headers.HOST);
            if (host == null || host.isEmpty() || Character.isDigit(host.charAt(0)) || host.startsWith("localhost")
                    || host.startsWith("[")) {
                exchange.getRequestHeaders().put(io.undertow.util.Headers.HOST, SERVICE);
            }
            next.handleRequest(exchange);
        }
    }

    static InetSocketAddress parse(String option, String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(option + ": " + hostPort + " (expected: host:port)");
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    public static void main(String[] args) throws InterruptedException {
        InetSocketAddress listen = null;
        InetSocketAddress up = null;
        boolean metrics = true;
        String role = "outbound";
        java.nio.file.Path caDir = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--listen" -> listen = parse("--listen", args[i + 1]);
                case "--upstream" -> up = parse("--upstream", args[i + 1]);
                case "--telemetry" -> metrics = !args[i + 1].equals("none");
                case "--role" -> role = args[i + 1];
                case "--mtls-ca" -> caDir = java.nio.file.Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("option: " + args[i]
                        + " (expected: --listen, --upstream, --telemetry, --role, --mtls-ca)");
            }
        }
        if (listen == null || up == null || !(role.equals("outbound") || role.equals("inbound"))
                || (role.equals("inbound") && caDir == null)) {
            System.err.println("usage: StandaloneSidecar --listen 127.0.0.1:PORT --upstream 127.0.0.1:PORT"
                    + " [--telemetry metrics|none] [--role outbound|inbound] [--mtls-ca CA_DIR]\n"
                    + "  --mtls-ca: the mesh CA directory (created on first use); outbound: mTLS to the upstream,"
                    + " which is an inbound sidecar; --role inbound (needs --mtls-ca): a STRICT mTLS inbound"
                    + " listener on --listen forwarding to --upstream");
            System.exit(2);
        }
        AutoCloseable running;
        if (caDir == null) {
            StandaloneSidecar sidecar = new StandaloneSidecar(listen, up, metrics);
            System.out.println("meshpilot standalone sidecar listening on " + sidecar.address() + " -> " + up);
            running = sidecar;
        } else {
            BenchInbound.Identities identities = BenchInbound.Identities.open(caDir, role);
            if (role.equals("inbound")) {
                BenchInbound inbound = new BenchInbound(listen, up, identities.identity(), telemetry(metrics));
                System.out.println("meshpilot standalone sidecar (inbound, mTLS STRICT) listening on "
                        + inbound.address() + " -> " + up);
                running = inbound;
            } else {
                StandaloneSidecar sidecar = new StandaloneSidecar(listen, up, metrics, identities.identity());
                System.out.println("meshpilot standalone sidecar (outbound, mTLS) listening on " + sidecar.address()
                        + " -> " + up);
                running = sidecar;
            }
            AutoCloseable proxy = running;
            running = () -> {
                proxy.close();
                identities.close();
            };
        }
        CountDownLatch stop = new CountDownLatch(1);
        AutoCloseable toClose = running;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                toClose.close();
            } catch (Exception e) {
                System.err.println("close: " + e);
            }
            stop.countDown();
        }));
        stop.await();
    }
}
