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
import java.io.IOException;
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
        BlockingDispatch.dispatch(exchange, executor, "sidecar", this::handle);
    }

    private void handle(HttpServerExchange exchange) throws InterruptedException, IOException {
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
        for (String name : List.of(TraceContext.B3, TraceContext.B3_TRACE_ID, TraceContext.B3_SPAN_ID,
                TraceContext.B3_PARENT_SPAN_ID, TraceContext.B3_SAMPLED, TraceContext.B3_FLAGS,
                TraceContext.TRACEPARENT, TraceContext.TRACESTATE)) {
            headers.remove(name);
        }
        trace.inject((name, value) -> headers.put(name, List.of(value)));
        byte[] body = BlockingDispatch.body(exchange);
        AuthzVerdict verdict = policy.check(transport, sourceIp(exchange), method, authority, path,
                headers);
        path = verdict.pathAndQuery();
        verdict.responseHeaders().forEach((name, value) ->
                exchange.getResponseHeaders().put(HttpString.tryFromString(name), value));
        InetSocketAddress target = verdict.forward() ? workload.get() : null;
        int status;
        String flags = "-";
        long sent;
        String upstreamHost = target == null ? null : target.getHostString() + ":" + target.getPort();
        if (!verdict.forward()) {
            status = verdict.status();
            sent = Exchanges.text(exchange, status, verdict.body());
        } else if (target == null) {
            status = 503;
            flags = "UH";
            sent = Exchanges.text(exchange, status, "workload not started");
        } else {
            UpstreamClient.Outcome outcome = upstream.send(target, method, authority, path, headers, body, TIMEOUT);
            if (outcome.response() != null) {
                status = outcome.response().statusCode();
                sent = Exchanges.relay(exchange, outcome.response());
            } else if (outcome.failure() == UpstreamClient.Failure.TIMEOUT) {
                status = 504;
                flags = "UT";
                sent = Exchanges.text(exchange, status, "workload timeout: " + outcome.error());
            } else {
                status = 502;
                flags = "UF";
                sent = Exchanges.text(exchange, status, "workload connect failure: " + outcome.error());
            }
        }
        String traceId = trace.traceId();
        log.span(Span.of(trace, authority + path, RoutingHandler.serviceName(self), time,
                (System.nanoTime() - start) / 1000, Map.of("http.method", method, "http.url", "http://" + authority + path,
                        "response_flags", flags, "span.kind", "server"), status));
        log.write(new RequestLog.Line(time, method, authority, path, status, flags, body.length, sent,
                (System.nanoTime() - start) / 1_000_000, upstreamHost, "inbound|" + (target == null ? 0 : target.getPort()) + "||",
                null, requestId, traceId, transport.spiffeId() == null ? null : transport.spiffeId().toString(),
                exchange.getSourceAddress() == null ? null : exchange.getSourceAddress().toString(), "destination"),
                PeerMetadata.destinationLabels(self, peer, transport, status, flags), verdict.logFields());
    }

    private static @Nullable String sourceIp(HttpServerExchange exchange) {
        InetSocketAddress source = exchange.getSourceAddress();
        return source == null || source.getAddress() == null ? null : source.getAddress().getHostAddress();
    }
}
