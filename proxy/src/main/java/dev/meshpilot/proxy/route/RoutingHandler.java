package dev.meshpilot.proxy.route;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.observability.trace.RequestIds;
import dev.meshpilot.observability.trace.TraceContext;
import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.ResolvedDestination;
import dev.meshpilot.policy.route.RouteDecision;
import dev.meshpilot.policy.route.TrafficPolicy;
import dev.meshpilot.policy.route.TrafficPolicy.OutlierDetection;
import dev.meshpilot.policy.route.WeightedDestination;
import dev.meshpilot.proxy.endpoint.Endpoint;
import dev.meshpilot.proxy.endpoint.EndpointRegistry;
import dev.meshpilot.proxy.egress.HostResolver;
import dev.meshpilot.proxy.internal.BlockingDispatch;
import dev.meshpilot.proxy.internal.Exchanges;
import dev.meshpilot.proxy.internal.Headers;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The routing engine shared by the ingress gateway and every sidecar's outbound listener: asks the snapshot
 * for a {@link RouteDecision}, applies the route's extras ({@link RouteActions}, {@link Mirror}), picks a destination
 * by weight, resolves it to endpoints, balances ({@link LoadBalancers}) within the connection-pool limits
 * ({@link ConnectionLimits}) and forwards with the route's timeout and retries; CONNECT goes to {@link ConnectTunnel}.
 * Answers 404 (no route), 503 (no healthy endpoint, overflow), 504 (upstream timeout) or 502 (connect failure).
 */
public final class RoutingHandler implements HttpHandler {

    private static final Duration NO_TIMEOUT_CAP = Duration.ofSeconds(60);
    /** Incoming trace headers, replaced by the child span's. */
    private static final List<String> TRACE_HEADERS = List.of(TraceContext.B3, TraceContext.B3_TRACE_ID,
            TraceContext.B3_SPAN_ID, TraceContext.B3_PARENT_SPAN_ID, TraceContext.B3_SAMPLED, TraceContext.B3_FLAGS,
            TraceContext.TRACEPARENT, TraceContext.TRACESTATE);

    private final ProxyRef self;
    private final String reporter;
    private final ToIntFunction<String> portOfAuthority;
    private final ProxyConfig config;
    private final EndpointRegistry registry;
    private final UpstreamClient upstream;
    private final RequestLog log;
    private final Executor executor;
    private final RoundRobin roundRobin = new RoundRobin();
    private final OutlierDetector outliers = new OutlierDetector();
    private final SourceMetrics.Cache metricLabels;
    private final PeerMetadata.Outgoing peer;
    private final Destinations destinations = new Destinations();
    private final EngineRouteExtras engineExtras = new EngineRouteExtras();
    private final LoadBalancers balancers = new LoadBalancers(roundRobin);
    private final ConnectionLimits limits = new ConnectionLimits();
    private final Mirror mirror;
    private final ExternalHosts externalHosts;
    private final Forwarding.Tries tries;
    /** CONNECT on a sidecar's outbound listener; null for a gateway. */
    private final @Nullable ConnectTunnel tunnel;

    /**
     * @param reporter        {@code gateway} or {@code source}
     * @param portOfAuthority the port a request arrived on (RequestAttributes.port), from its authority
     */
    public RoutingHandler(ProxyRef self, String reporter, ToIntFunction<String> portOfAuthority, ProxyConfig config,
            EndpointRegistry registry, UpstreamClient upstream, RequestLog log, Executor executor) {
        this(self, reporter, portOfAuthority, config, registry, upstream, log, executor, HostResolver.SYSTEM);
    }

    /** @param resolver where a sidecar reaches hosts outside the mesh (ServiceEntry hosts, passed-through calls) */
    public RoutingHandler(ProxyRef self, String reporter, ToIntFunction<String> portOfAuthority, ProxyConfig config,
            EndpointRegistry registry, UpstreamClient upstream, RequestLog log, Executor executor,
            HostResolver resolver) {
        this.self = requireNonNull(self, "self");
        this.reporter = requireNonNull(reporter, "reporter");
        this.portOfAuthority = requireNonNull(portOfAuthority, "portOfAuthority");
        this.config = requireNonNull(config, "config");
        this.registry = requireNonNull(registry, "registry");
        this.upstream = requireNonNull(upstream, "upstream");
        this.log = requireNonNull(log, "log");
        this.executor = requireNonNull(executor, "executor");
        this.tries = new ClusterTries(upstream, roundRobin, outliers, self, executor);
        this.metricLabels = new SourceMetrics.Cache(self);
        this.peer = PeerMetadata.Outgoing.of(self);
        this.externalHosts = new ExternalHosts(self, requireNonNull(resolver, "resolver"));
        this.tunnel = self.kind() == ProxyRef.Kind.SIDECAR ? new ConnectTunnel(self, config, resolver, log, executor)
                : null;
        this.mirror = new Mirror(self, destinations, registry, resolver, upstream, executor);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (tunnel != null && exchange.getRequestMethod().equals(io.undertow.util.Methods.CONNECT)) {
            tunnel.handle(exchange);
            return;
        }
        BlockingDispatch.onIoThread(exchange, "proxy", this::start);
    }

    /** A request being routed: what {@link #begin} made of its exchange. */
    private record Request(HttpServerExchange exchange, Attempt a, Map<String, List<String>> headers,
            TraceContext child, byte[] body, long startNanos) {}

    /** The snapshot's answer for a request; {@code start} when routing began ({@link System#nanoTime}). */
    private record Route(@Nullable MeshSnapshot snapshot, int port, RouteDecision decision, RouteExtras extras,
            long start) {}

    /**
     * On the I/O thread, once the body is read: routes the request, and forwards it there without blocking when
     * nothing on its way may block (no fault delay, no name lookup, no connection-pool limit to wait for; plaintext
     * tries, see {@link Forwarding#runAsync}); otherwise the rest runs on a virtual thread.
     */
    private void start(HttpServerExchange exchange) {
        Request r = begin(exchange);
        Route route = route(r);
        if (!nonBlocking(route)) {
            BlockingDispatch.continueBlocking(exchange, executor, "proxy", ex -> {
                try {
                    forward(r, route, false);
                } finally {
                    closeBalancer(r);
                }
                report(r);
            });
            return;
        }
        boolean pending;
        try {
            pending = forward(r, route, true);
        } catch (InterruptedException | RuntimeException e) { // only a blocking forward waits
            closeBalancer(r);
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
        if (!pending) {
            closeBalancer(r);
            report(r);
        }
    }

    private Request begin(HttpServerExchange exchange) {
        long startNanos = System.nanoTime();
        Attempt a = new Attempt(Instant.now(), exchange.getRequestMethod().toString(), Exchanges.authority(exchange),
                Exchanges.pathAndQuery(exchange));
        Map<String, List<String>> headers = Headers.requestHeaders(exchange); // a fresh mutable map
        a.requestId = RequestIds.ensure(RouteActions.first(headers, RequestIds.HEADER));
        headers.put(RequestIds.HEADER, List.of(a.requestId));
        TraceContext child = TraceContext.extractOrNewRoot(name -> RouteActions.first(headers, name), true).childSpan();
        for (String name : TRACE_HEADERS) {
            headers.remove(name);
        }
        child.inject((name, value) -> headers.put(name, List.of(value)));
        a.traceId = child.traceId();
        byte[] body = BlockingDispatch.body(exchange);
        a.bytesReceived = body.length;
        return new Request(exchange, a, headers, child, body, startNanos);
    }

    private Route route(Request r) {
        long start = System.nanoTime();
        MeshSnapshot snapshot = config.snapshot();
        Attempt a = r.a();
        int port = portOfAuthority.applyAsInt(a.authority);
        if (snapshot == null) {
            return new Route(null, port, RouteDecision.none(), RouteExtras.NONE, start);
        }
        RequestAttributes request = new RequestAttributes(a.method, a.authority, a.path, port, r.headers());
        RouteDecision decision = snapshot.route(self, request);
        return new Route(snapshot, port, decision, engineExtras.of(snapshot, self, request, decision), start);
    }

    /** Whether {@link #forward} of {@code route} never blocks: no fault delay, name lookup or pool limit. */
    private boolean nonBlocking(Route route) {
        MeshSnapshot snapshot = route.snapshot();
        if (snapshot == null) {
            return true;
        }
        if (!route.decision().routed() && !route.extras().answersLocally()) {
            return self.kind() != ProxyRef.Kind.SIDECAR; // a sidecar's unrouted call is egress
        }
        if (route.extras().fault() != null) {
            return false;
        }
        for (WeightedDestination dest : route.decision().destinations()) {
            Destinations.Info info = destinations.of(snapshot, self.namespace(), dest, route.port());
            if (!info.service() || !ConnectionLimits.unlimited(info.policy().connectionPool())) {
                return false;
            }
        }
        return true;
    }

    private void closeBalancer(Request r) {
        if (r.a().balancer != null) {
            r.a().balancer.close();
        }
    }

    private void report(Request r) {
        RequestReport.write(log, metricLabels, self, reporter, r.a(), r.exchange().getSourceAddress(), r.child(),
                portOfAuthority.applyAsInt(r.a().authority), r.startNanos());
    }

    /**
     * Routes and forwards; with {@code async} (only when {@link #nonBlocking}) the tries run on the I/O thread.
     *
     * @return whether the answer comes later (then the request is reported when it does)
     */
    private boolean forward(Request r, Route route, boolean async) throws InterruptedException {
        HttpServerExchange exchange = r.exchange();
        Attempt a = r.a();
        Map<String, List<String>> headers = r.headers();
        long start = route.start();
        MeshSnapshot snapshot = route.snapshot();
        int port = route.port();
        RouteDecision decision = route.decision();
        RouteExtras extras = route.extras();
        if (snapshot == null || (!decision.routed() && !extras.answersLocally())) {
            if (snapshot != null && self.kind() == ProxyRef.Kind.SIDECAR) {
                egress(r, snapshot, port, start);
                return false;
            }
            a.fail(exchange, 404, "NR", "no route to " + a.authority);
            return false;
        }
        a.routeName = decision.virtualService() == null ? "default" : decision.virtualService();
        RouteActions.editResponse(exchange, extras, headers);
        if (RouteActions.answerLocally(exchange, a, extras, headers)) {
            return false;
        }
        RouteActions.editRequest(a, headers, extras);
        if (extras.mirror() != null) {
            mirror.maybeSend(snapshot, extras.mirror(), a, port, headers, r.body());
        }
        WeightedDestination dest = WeightedPicker.pick(decision.destinations(),
                bound -> ThreadLocalRandom.current().nextInt(bound));
        a.service = dest.host();
        Destinations.Info info = destinations.of(snapshot, self.namespace(), dest, port);
        int destPort = info.port();
        a.cluster = info.cluster();
        ResolvedDestination resolved = info.resolved();
        TrafficPolicy.ConsistentHash hash = info.policy().consistentHash();
        a.balancer = !LoadBalancers.beyondRoundRobin(info.policy()) ? null : balancers.choose(a.cluster,
                info.policy(), hash == null ? null : HashKeys.of(hash, exchange, headers, a.path));
        a.origination = info.origination() == null ? null
                : upstream.originate(info.origination(), self.namespace(), dest.host());
        if (!info.service()) {
            // a ServiceEntry host: its endpoints (STATIC / DNS), else the host name as given (DNS / NONE)
            List<Endpoint> external = externalHosts.endpoints(exchange, a, info.external(), dest.host(), destPort);
            return external != null && sendLimited(r, decision, external, info.outlier(), info.policy(), start, false);
        }
        peer.put(headers, dest.host());
        List<Endpoint> endpoints = resolved == null ? List.of() : registry.select(resolved);
        if (endpoints.isEmpty()) {
            a.fail(exchange, 503, "UH", "no healthy upstream for " + dest.host()
                    + (dest.subset() == null ? "" : " subset " + dest.subset()));
            return false;
        }
        a.tls = upstream.tls(snapshot, self, dest.host(), dest.subset(), destPort,
                resolved == null ? destPort : resolved.targetPort(), endpoints);
        return sendLimited(r, decision, endpoints, info.outlier(), info.policy(), start, async);
    }

    /** {@link Forwarding} within the cluster's connection-pool limits: 503 {@code UO} on overflow. */
    private boolean sendLimited(Request r, RouteDecision decision, List<Endpoint> cluster,
            @Nullable OutlierDetection outlier, TrafficPolicy policy, long start, boolean async)
            throws InterruptedException {
        long deadline = start + (decision.timeout() == null ? NO_TIMEOUT_CAP : decision.timeout()).toNanos();
        ConnectionLimits.Permit permit = limits.acquireOrAnswer(r.exchange(), r.a(), policy.connectionPool(),
                deadline);
        if (permit == null) {
            return false;
        }
        Forwarding forwarding = new Forwarding(tries, r.exchange(), r.a(), decision, cluster, outlier, r.headers(),
                r.body(), start);
        if (!async) {
            try (permit) {
                forwarding.run();
            }
            return false;
        }
        forwarding.runAsync(() -> {
            permit.close();
            closeBalancer(r);
            report(r);
        });
        return true;
    }

    /** A sidecar call the snapshot does not route: Istio's outbound traffic policy decides. */
    private void egress(Request r, MeshSnapshot snapshot, int port, long start) throws InterruptedException {
        List<Endpoint> target = externalHosts.unrouted(r.exchange(), r.a(), snapshot, port);
        if (target != null) {
            new Forwarding(tries, r.exchange(), r.a(), RouteDecision.none(), target, null, r.headers(), r.body(),
                    start).run();
        }
    }

    /** {@code <workload>.<namespace>}, as Istio names services in Jaeger. */
    public static String serviceName(ProxyRef proxy) {
        return (proxy.deployment() != null ? proxy.deployment() : "istio-ingressgateway") + "." + proxy.namespace();
    }
}
