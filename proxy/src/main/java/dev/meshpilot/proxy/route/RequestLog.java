package dev.meshpilot.proxy.route;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.observability.accesslog.AccessLogBuffer;
import dev.meshpilot.observability.accesslog.AccessLogEntry;
import dev.meshpilot.observability.accesslog.AccessLogFormat;
import dev.meshpilot.observability.metrics.IstioMetrics;
import dev.meshpilot.observability.metrics.RequestLabels;
import dev.meshpilot.observability.metrics.RequestMetric;
import dev.meshpilot.observability.trace.Span;
import dev.meshpilot.observability.trace.SpanStore;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The access log of one proxy: one JSON line per request, the last lines kept in memory. */
public final class RequestLog {

    private static final Logger LOG = LoggerFactory.getLogger("dev.meshpilot.proxy.access");

    private final String proxyId;
    private final AccessLogBuffer buffer;
    private final @Nullable IstioMetrics metrics;
    private final @Nullable SpanStore spans;

    public RequestLog(String proxyId, int capacity, Telemetry telemetry) {
        this.proxyId = requireNonNull(proxyId, "proxyId");
        this.buffer = new AccessLogBuffer(capacity);
        this.metrics = telemetry.metrics();
        this.spans = telemetry.spans();
    }

    /** Whether {@link #span} records anything: build spans only then. */
    public boolean recordsSpans() {
        return spans != null;
    }

    /** Whether {@link #write(Line, RequestLabels)} records metrics: build label sets only then. */
    public boolean recordsMetrics() {
        return metrics != null;
    }

    /** Records a finished span (when this proxy reports spans). */
    public void span(Span span) {
        if (spans != null) {
            spans.record(span);
        }
    }

    /** Writes the access-log line and records Istio's standard metrics with {@code labels}. */
    public void write(Line line, RequestLabels labels) {
        write(line);
        if (metrics != null) {
            metrics.record(new RequestMetric(labels, line.durationMillis(), line.bytesReceived(), line.bytesSent()));
        }
    }

    public AccessLogBuffer buffer() {
        return buffer;
    }

    /** What one request looked like; {@link #write} turns it into an {@link AccessLogEntry}. */
    public record Line(Instant time, String method, String authority, String path, int status, String flags,
            long bytesReceived, long bytesSent, long durationMillis, @Nullable String upstreamHost,
            @Nullable String upstreamCluster, @Nullable String routeName, String requestId, @Nullable String traceId,
            @Nullable String peerIdentity, @Nullable String remoteAddress, String reporter, @Nullable String policy) {

        /** A line without a policy decision. */
        public Line(Instant time, String method, String authority, String path, int status, String flags,
                long bytesReceived, long bytesSent, long durationMillis, @Nullable String upstreamHost,
                @Nullable String upstreamCluster, @Nullable String routeName, String requestId, @Nullable String traceId,
                @Nullable String peerIdentity, @Nullable String remoteAddress, String reporter) {
            this(time, method, authority, path, status, flags, bytesReceived, bytesSent, durationMillis, upstreamHost,
                    upstreamCluster, routeName, requestId, traceId, peerIdentity, remoteAddress, reporter, null);
        }
    }

    public void write(Line l) {
        buffer.append(entry(l));
        debug();
    }

    /**
     * Writes the line with {@code fields} added to its JSON (the inbound listener's {@code authz_policy},
     * {@code authz_rule}, {@code authz_reason}) and records Istio's standard metrics with {@code labels}.
     */
    public void write(Line l, RequestLabels labels, Map<String, @Nullable String> fields) {
        buffer.append(AccessLogFormat.json(entry(l), fields));
        debug();
        if (metrics != null) {
            metrics.record(new RequestMetric(labels, l.durationMillis(), l.bytesReceived(), l.bytesSent()));
        }
    }

    private static AccessLogEntry entry(Line l) {
        return new AccessLogEntry(l.time(), l.method(), l.authority(), l.path(), "HTTP/1.1",
                l.status(), l.flags(), l.bytesReceived(), l.bytesSent(), l.durationMillis(), l.upstreamHost(),
                l.upstreamCluster(), l.routeName(), l.requestId(), l.traceId(), l.peerIdentity(), l.remoteAddress(),
                l.reporter(), l.policy());
    }

    private void debug() {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {}", proxyId, buffer.last(1));
        }
    }
}
