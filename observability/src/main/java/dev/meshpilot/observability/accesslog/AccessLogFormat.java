package dev.meshpilot.observability.accesslog;

import static java.util.Objects.requireNonNull;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Envoy-style JSON access log lines (the keys of Istio's {@code accessLogEncoding: JSON}), one object per line.
 *
 * <pre>{"start_time":"2026-11-24T17:42:00.123Z","method":"GET","authority":"hello.example.com","path":"/",...}</pre>
 */
public final class AccessLogFormat {

    private static final DateTimeFormatter START_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private AccessLogFormat() {}

    /** One line of JSON (no trailing newline; never contains a raw line break). */
    public static String json(AccessLogEntry entry) {
        return json(entry, Map.of());
    }

    /**
     * One line of JSON with {@code extra} string fields after the standard ones, in iteration order (e.g. the inbound
     * listener's {@code authz_policy}, {@code authz_rule}, {@code authz_reason}); null values are written as null.
     */
    public static String json(AccessLogEntry entry, Map<String, @Nullable String> extra) {
        requireNonNull(entry, "entry");
        requireNonNull(extra, "extra");
        StringBuilder out = new StringBuilder(512);
        out.append('{');
        field(out, "start_time", START_TIME.format(entry.time()));
        field(out, "method", entry.method());
        field(out, "authority", entry.authority());
        field(out, "path", entry.path());
        field(out, "protocol", entry.protocol());
        number(out, "response_code", entry.status());
        field(out, "response_flags", entry.responseFlags());
        number(out, "bytes_received", entry.bytesReceived());
        number(out, "bytes_sent", entry.bytesSent());
        number(out, "duration", entry.durationMillis());
        field(out, "upstream_host", entry.upstreamHost());
        field(out, "upstream_cluster", entry.upstreamCluster());
        field(out, "route_name", entry.routeName());
        field(out, "x_request_id", entry.requestId());
        field(out, "trace_id", entry.traceId());
        field(out, "peer_identity", entry.peerIdentity());
        field(out, "downstream_remote_address", entry.downstreamRemoteAddress());
        field(out, "reporter", entry.reporter());
        field(out, "policy", entry.policyDecision());
        extra.forEach((key, value) -> field(out, key, value));
        out.setCharAt(out.length() - 1, '}');
        return out.toString();
    }

    private static void field(StringBuilder out, String key, @Nullable String value) {
        Json.string(out, key);
        out.append(':');
        Json.string(out, value);
        out.append(',');
    }

    private static void number(StringBuilder out, String key, long value) {
        out.append('"').append(key).append("\":").append(value).append(',');
    }
}
