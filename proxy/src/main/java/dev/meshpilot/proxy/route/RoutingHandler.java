package dev.meshpilot.proxy.route;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.observability.trace.RequestIds;
import dev.meshpilot.observability.trace.TraceContext;
import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.ResolvedDestination;
import dev.meshpilot.policy.route.RetryPolicy;
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
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing engine shared by the ingress gateway and every sidecar's outbound listener: asks the snapshot
 * for a {@link RouteDecision}, applies the route's extras ({@link RouteActions}, {@link Mirror}), picks a destination
 * by weight, resolves it to endpoints, balances ({@link LoadBalancers}) within the connection-pool limits
 * ({@link ConnectionLimits}) and forwards with the route's timeout and retries; CONNECT goes to {@link ConnectTunnel}.
 * Answers 404 (no route), 503 (no healthy endpoint, overflow), 504 (upstream timeout) or 502 (connect failure).
 */
public final class RoutingHandler implements HttpHandler {

    /** Istio retries connect failures twice when a route sets no retry policy. */
    private static final int DEFAULT_CONNECT_RETRIES = 2;
    private static final Logger LOG = LoggerFactory.getLogger(RoutingHandler.class);
    private static final String EXTERNAL = ExternalHosts.EXTERNAL;
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
        BlockingDispatch.dispatch(exchange, executor, "proxy", this::handle);
    }

    private void handle(HttpServerExchange exchange) throws InterruptedException, IOException {
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
        try {
            forward(exchange, a, headers, body);
        } finally {
            if (a.balancer != null) {
                a.balancer.close();
            }
        }
        RequestReport.write(log, metricLabels, self, reporter, a, exchange.getSourceAddress(), child,
                portOfAuthority.applyAsInt(a.authority), startNanos);
    }

    private void forward(HttpServerExchange exchange, Attempt a, Map<String, List<String>> headers, byte[] body)
            throws InterruptedException {
        long start = System.nanoTime();
        MeshSnapshot snapshot = config.snapshot();
        int port = portOfAuthority.applyAsInt(a.authority);
        RequestAttributes request = new RequestAttributes(a.method, a.authority, a.path, port, headers);
        RouteDecision decision = snapshot == null ? RouteDecision.none() : snapshot.route(self, request);
        RouteExtras extras = snapshot == null ? RouteExtras.NONE : engineExtras.of(snapshot, self, request, decision);
        if (snapshot == null || (!decision.routed() && !extras.answersLocally())) {
            if (snapshot != null && self.kind() == ProxyRef.Kind.SIDECAR) {
                egress(exchange, a, snapshot, port, headers, body, start);
                return;
            }
            a.fail(exchange, 404, "NR", "no route to " + a.authority);
            return;
        }
        a.routeName = decision.virtualService() == null ? "default" : decision.virtualService();
        RouteActions.editResponse(exchange, extras, headers);
        if (RouteActions.answerLocally(exchange, a, extras, headers)) {
            return;
        }
        RouteActions.editRequest(a, headers, extras);
        if (extras.mirror() != null) {
            mirror.maybeSend(snapshot, extras.mirror(), a, port, headers, body);
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
            if (external != null) {
                sendLimited(exchange, a, decision, external, info.outlier(), info.policy(), headers, body, start);
            }
            return;
        }
        peer.put(headers, dest.host());
        List<Endpoint> endpoints = resolved == null ? List.of() : registry.select(resolved);
        if (endpoints.isEmpty()) {
            a.fail(exchange, 503, "UH", "no healthy upstream for " + dest.host()
                    + (dest.subset() == null ? "" : " subset " + dest.subset()));
            return;
        }
        a.tls = upstream.tls(snapshot, self, dest.host(), dest.subset(), destPort,
                resolved == null ? destPort : resolved.targetPort(), endpoints);
        sendLimited(exchange, a, decision, endpoints, info.outlier(), info.policy(), headers, body, start);
    }

    /** {@link #send} within the cluster's connection-pool limits: 503 {@code UO} on overflow. */
    private void sendLimited(HttpServerExchange exchange, Attempt a, RouteDecision decision, List<Endpoint> cluster,
            @Nullable OutlierDetection outlier, TrafficPolicy policy, Map<String, List<String>> headers, byte[] body,
            long start) throws InterruptedException {
        long deadline = start + (decision.timeout() == null ? NO_TIMEOUT_CAP : decision.timeout()).toNanos();
        try (ConnectionLimits.Permit permit = limits.acquireOrAnswer(exchange, a, policy.connectionPool(), deadline)) {
            if (permit != null) {
                send(exchange, a, decision, cluster, outlier, headers, body, start);
            }
        }
    }

    /** A sidecar call the snapshot does not route: Istio's outbound traffic policy decides. */
    private void egress(HttpServerExchange exchange, Attempt a, MeshSnapshot snapshot, int port,
            Map<String, List<String>> headers, byte[] body, long start) throws InterruptedException {
        List<Endpoint> target = externalHosts.unrouted(exchange, a, snapshot, port);
        if (target != null) {
            send(exchange, a, RouteDecision.none(), target, null, headers, body, start);
        }
    }

    /** Forwards with the route's timeout and retries; {@code outlier} null for hosts outside the mesh. */
    private void send(HttpServerExchange exchange, Attempt a, RouteDecision decision, List<Endpoint> cluster,
            @Nullable OutlierDetection outlier, Map<String, List<String>> headers, byte[] body, long start)
            throws InterruptedException {
        boolean external = cluster.get(0).namespace().equals(EXTERNAL);
        List<Endpoint> endpoints = outlier == null ? cluster : outliers.healthy(requireNonNull(a.cluster), cluster);
        if (external) {
            PeerMetadata.HEADERS.forEach(headers::remove);
        }
        RetryPolicy retries = decision.retries();
        int tries = 1 + (retries != null ? retries.attempts() : DEFAULT_CONNECT_RETRIES);
        long deadline = decision.timeout() == null ? Long.MAX_VALUE : start + decision.timeout().toNanos();
        Set<String> tried = new HashSet<>();
        int status = 502;
        String flags = "UF";
        String message = "upstream connect failure";
        for (int attempt = 0; attempt < tries; attempt++) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                status = 504;
                flags = "UT";
                message = "upstream request timeout after " + decision.timeout();
                break;
            }
            Duration perTry = Duration.ofNanos(Math.min(remaining, NO_TIMEOUT_CAP.toNanos()));
            if (retries != null && retries.perTryTimeout() != null && retries.perTryTimeout().compareTo(perTry) < 0) {
                perTry = retries.perTryTimeout();
            }
            Endpoint endpoint = a.balancer != null ? a.balancer.pick(endpoints, tried)
                    : roundRobin.next(a.cluster, endpoints, tried);
            tried.add(requireNonNull(endpoint, "endpoint").id());
            a.endpoint = external ? null : endpoint;
            a.upstreamHost = endpoint.hostPort();
            a.peerIdentity = external ? null : SourceMetrics.principal(endpoint.namespace(), endpoint.serviceAccount());
            UpstreamClient.Outcome outcome = upstream.sendTry(endpoint.inbound(), a.origination,
                    a.tls == null ? null : a.tls.peersFor(endpoint), a.method, a.authority, a.path, headers, body,
                    perTry, external);
            a.transportFailure = outcome.transportFailure();
            boolean last = attempt == tries - 1;
            if (outlier != null && outliers.record(requireNonNull(a.cluster), endpoint, cluster,
                    outcome.failure() == UpstreamClient.Failure.NONE ? outcome.response().statusCode() : 0, outlier)) {
                LOG.info("{}: ejected {} from {} (outlier detection)", serviceName(self), endpoint.id(), a.cluster);
            }
            switch (outcome.failure()) {
                case NONE -> {
                    int code = outcome.response().statusCode();
                    if (last || retries == null || !RouteRules.retriable(code, retries.retryOn())) {
                        a.status = code;
                        a.flags = attempt > 0 && code >= 500 ? "URX" : "-";
                        a.bytesSent = Exchanges.relay(exchange, outcome.response());
                        return;
                    }
                    status = code;
                    flags = "URX";
                    message = "upstream answered " + code;
                }
                case TIMEOUT -> {
                    status = 504;
                    flags = "UT";
                    message = "upstream request timeout after " + perTry.toMillis() + " ms at " + endpoint.id();
                    if (!RouteRules.retriable(outcome.failure(), retries)) {
                        attempt = tries;
                    }
                }
                case CONNECT, RESET -> {
                    status = outcome.transportFailure() != null ? 503 : 502;
                    flags = "UF";
                    message = outcome.failureMessage(endpoint.id());
                    if (!RouteRules.retriable(outcome.failure(), retries)) {
                        attempt = tries;
                    }
                }
            }
        }
        RequestReport.warnTransportFailure(self, a);
        a.fail(exchange, status, tried.size() > 1 && !flags.equals("UT") ? flags + ",URX" : flags, message);
    }

    /** {@code <workload>.<namespace>}, as Istio names services in Jaeger. */
    public static String serviceName(ProxyRef proxy) {
        return (proxy.deployment() != null ? proxy.deployment() : "istio-ingressgateway") + "." + proxy.namespace();
    }
}
