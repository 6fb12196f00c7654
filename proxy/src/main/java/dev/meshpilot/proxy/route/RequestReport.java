package dev.meshpilot.proxy.route;

import dev.meshpilot.observability.trace.Span;
import dev.meshpilot.observability.trace.TraceContext;
import dev.meshpilot.policy.route.ProxyRef;
import java.net.InetSocketAddress;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a routing proxy reports of one finished request: its access-log line, its metrics and its client span. */
final class RequestReport {

    /** Envoy's access-log field for why the upstream TLS handshake failed. */
    static final String TRANSPORT_FAILURE = "upstream_transport_failure_reason";

    private static final Logger LOG = LoggerFactory.getLogger(RoutingHandler.class);

    private RequestReport() {}

    /** The WARN line of a request whose originated TLS failed on its last try: where, and why. */
    static void warnTransportFailure(ProxyRef self, Attempt a) {
        if (a.transportFailure != null && a.origination != null) {
            LOG.warn("{} {}: 503 TLS origination to {} ({}) failed: {}", RoutingHandler.serviceName(self),
                    a.authority, a.upstreamHost, a.origination.peer(), a.transportFailure);
        }
    }

    /**
     * @param port       the port the request arrived for (part of the span name)
     * @param startNanos when the request arrived, {@link System#nanoTime}
     */
    static void write(RequestLog log, SourceMetrics.Cache metricLabels, ProxyRef self, String reporter, Attempt a,
            @Nullable InetSocketAddress remote, TraceContext child, int port, long startNanos) {
        a.durationMillis = (System.nanoTime() - startNanos) / 1_000_000;
        RequestLog.Line line = a.line(reporter, remote == null ? null : remote.toString());
        if (a.transportFailure != null) {
            log.write(line, metricLabels.labels(a.endpoint, a.service, a.status, a.flags),
                    Map.of(TRANSPORT_FAILURE, a.transportFailure));
        } else if (log.recordsMetrics()) {
            log.write(line, metricLabels.labels(a.endpoint, a.service, a.status, a.flags));
        } else {
            log.write(line);
        }
        if (!log.recordsSpans()) {
            return;
        }
        log.span(Span.of(child, (a.service == null ? a.authority : a.service) + ":" + port + "/*",
                RoutingHandler.serviceName(self), a.time, (System.nanoTime() - startNanos) / 1000,
                Map.of("http.method", a.method, "http.url", "http://" + a.authority + a.path, "upstream_cluster",
                        a.cluster == null ? "-" : a.cluster, "response_flags", a.flags, "span.kind", "client"),
                a.status));
    }
}
