package dev.meshpilot.proxy.sidecar;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.observability.trace.RequestIds;
import dev.meshpilot.observability.trace.Span;
import dev.meshpilot.observability.trace.TraceContext;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.proxy.authz.AuthzVerdict;
import dev.meshpilot.proxy.authz.InboundPolicy;
import dev.meshpilot.proxy.identity.PeerPrincipal;
import dev.meshpilot.proxy.internal.BlockingDispatch;
import dev.meshpilot.proxy.internal.Exchanges;
import dev.meshpilot.proxy.internal.Headers;
import dev.meshpilot.proxy.route.PeerMetadata;
import dev.meshpilot.proxy.route.RequestLog;
import dev.meshpilot.proxy.route.RoutingHandler;
import dev.meshpilot.proxy.route.UpstreamClient;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** A sidecar's inbound listener: forwards every request to its workload instance and logs it. */
final class InboundHandler implements HttpHandler {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> TRACE_HEADERS = List.of(TraceContext.B3, TraceContext.B3_TRACE_ID,
            TraceContext.B3_SPAN_ID, TraceContext.B3_PARENT_SPAN_ID, TraceContext.B3_SAMPLED, TraceContext.B3_FLAGS,
            TraceContext.TRACEPARENT, TraceContext.TRACESTATE);

    private final Supplier<@Nullable InetSocketAddress> workload;
    private final UpstreamClient upstream;
    private final RequestLog log;
    private final Executor executor;

    private final ProxyRef self;
    private final InboundPolicy policy;

    InboundHandler(ProxyRef self, Supplier<@Nullable InetSocketAddress> workload, UpstreamClient upstream,
            RequestLog log, Executor executor, InboundPolicy policy) {
        this.policy = requireNonNull(policy, "policy");
        this.self = requireNonNull(self, "self");
        this.workload = requireNonNull(workload, "workload");
        this.upstream = requireNonNull(upstream, "upstream");
        this.log = requireNonNull(log, "log");
        this.executor = requireNonNull(executor, "executor");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        BlockingDispatch.onIoThread(exchange, "sidecar", this::start);
    }

    /** What the inbound listener read of one request. */
    private record Request(HttpServerExchange exchange, long start, Instant time, String authority, String method,
            String path, Map<String, List<String>> headers, @Nullable PeerMetadata peer, PeerPrincipal transport,
            String requestId, TraceContext trace, byte[] body) {}

    /**
     * On the I/O thread: the request is decided and forwarded there without blocking unless its policy check may
     * block ({@link InboundPolicy#mayBlock}: JWT rules, a CUSTOM authorizer) or the workload's address needs a lookup;
     * then on a virtual thread.
     */
    private void start(HttpServerExchange exchange) {
        Request r = begin(exchange);
        if (policy.mayBlock(r.transport(), sourceIp(exchange), r.method(), r.authority(), r.path(), r.headers())) {
            BlockingDispatch.continueBlocking(exchange, executor, "sidecar", ex -> handle(r, false));
            return;
        }
        try {
            handle(r, true);
        } catch (InterruptedException e) { // a check that does not block does not wait
            throw new IllegalStateException(e);
        }
    }

    private Request begin(HttpServerExchange exchange) {
        long start = System.nanoTime();
        Instant time = Instant.now();
        String forwardedHost = Headers.request(exchange, UpstreamClient.FORWARDED_HOST);
        String authority = forwardedHost != null ? forwardedHost : Exchanges.authority(exchange);
        String method = exchange.getRequestMethod().toString();
        String path = Exchanges.pathAndQuery(exchange);
        Map<String, List<String>> headers = new LinkedHashMap<>(Headers.requestHeaders(exchange));
        PeerMetadata peer = PeerMetadata.read(headers);
        PeerPrincipal transport = PeerPrincipal.of(exchange);
        PeerMetadata.HEADERS.forEach(headers::remove);
        String requestId = RequestIds.ensure(Headers.request(exchange, RequestIds.HEADER));
        headers.put(RequestIds.HEADER, List.of(requestId));
        TraceContext incoming = TraceContext.extract(name -> Headers.request(exchange, name));
        TraceContext trace = incoming == null ? TraceContext.newRoot(true) : incoming.childSpan();
        for (String name : TRACE_HEADERS) {
            headers.remove(name);
        }
        trace.inject((name, value) -> headers.put(name, List.of(value)));
        return new Request(exchange, start, time, authority, method, path, headers, peer, transport, requestId, trace,
                BlockingDispatch.body(exchange));
    }

    /** Decides and forwards; with {@code async} the workload is called without blocking (on the I/O thread). */
    private void handle(Request r, boolean async) throws InterruptedException {
        HttpServerExchange exchange = r.exchange();
        AuthzVerdict verdict = policy.check(r.transport(), sourceIp(exchange), r.method(), r.authority(), r.path(),
                r.headers());
        String path = verdict.pathAndQuery();
        verdict.responseHeaders().forEach((name, value) ->
                exchange.getResponseHeaders().put(HttpString.tryFromString(name), value));
        InetSocketAddress target = verdict.forward() ? workload.get() : null;
        if (!verdict.forward()) {
            report(r, verdict, path, target, verdict.status(), "-", Exchanges.text(exchange, verdict.status(),
                    verdict.body()));
        } else if (target == null) {
            report(r, verdict, path, null, 503, "UH", Exchanges.text(exchange, 503, "workload not started"));
        } else if (async && !target.isUnresolved()) {
            upstream.sendAsync(exchange.getIoThread(), target, r.method(), r.authority(), path, r.headers(), r.body(),
                    TIMEOUT, false, outcome -> answer(r, verdict, path, target, outcome));
        } else {
            answer(r, verdict, path, target, upstream.send(target, r.method(), r.authority(), path, r.headers(),
                    r.body(), TIMEOUT));
        }
    }

    /** Relays the workload's answer (or why there is none) and reports the request. */
    private void answer(Request r, AuthzVerdict verdict, String path, InetSocketAddress target,
            UpstreamClient.Outcome outcome) {
        HttpServerExchange exchange = r.exchange();
        if (outcome.response() != null) {
            report(r, verdict, path, target, outcome.response().statusCode(), "-",
                    Exchanges.relay(exchange, outcome.response()));
        } else if (outcome.failure() == UpstreamClient.Failure.TIMEOUT) {
            report(r, verdict, path, target, 504, "UT",
                    Exchanges.text(exchange, 504, "workload timeout: " + outcome.error()));
        } else {
            report(r, verdict, path, target, 502, "UF",
                    Exchanges.text(exchange, 502, "workload connect failure: " + outcome.error()));
        }
    }

    private void report(Request r, AuthzVerdict verdict, String path, @Nullable InetSocketAddress target, int status,
            String flags, long sent) {
        HttpServerExchange exchange = r.exchange();
        String upstreamHost = target == null ? null : target.getHostString() + ":" + target.getPort();
        String authority = r.authority();
        log.span(Span.of(r.trace(), authority + path, RoutingHandler.serviceName(self), r.time(),
                (System.nanoTime() - r.start()) / 1000, Map.of("http.method", r.method(), "http.url",
                        "http://" + authority + path, "response_flags", flags, "span.kind", "server"), status));
        PeerPrincipal transport = r.transport();
        log.write(new RequestLog.Line(r.time(), r.method(), authority, path, status, flags, r.body().length, sent,
                (System.nanoTime() - r.start()) / 1_000_000, upstreamHost,
                "inbound|" + (target == null ? 0 : target.getPort()) + "||", null, r.requestId(), r.trace().traceId(),
                transport.spiffeId() == null ? null : transport.spiffeId().toString(),
                exchange.getSourceAddress() == null ? null : exchange.getSourceAddress().toString(), "destination"),
                PeerMetadata.destinationLabels(self, r.peer(), transport, status, flags), verdict.logFields());
    }

    private static @Nullable String sourceIp(HttpServerExchange exchange) {
        InetSocketAddress source = exchange.getSourceAddress();
        return source == null || source.getAddress() == null ? null : source.getAddress().getHostAddress();
    }
}
