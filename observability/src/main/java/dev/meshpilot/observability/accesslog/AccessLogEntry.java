package dev.meshpilot.observability.accesslog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One request as the proxy saw it; {@link AccessLogFormat#json} turns it into one line of Envoy-style JSON.
 * Absent values are null (written as JSON {@code null}).
 *
 * @param time when the request started
 * @param status the response code, 0 when no response was sent
 * @param responseFlags Envoy response flags such as {@code UH}, {@code UT}, {@code UF}, or {@code -} for none
 * @param peerIdentity the peer's SPIFFE id when mTLS authenticated it
 * @param reporter {@code source}, {@code destination} or {@code gateway}
 * @param policyDecision the policy that denied the request ({@code ns/name}), or null
 */
public record AccessLogEntry(
        Instant time,
        @Nullable String method,
        @Nullable String authority,
        @Nullable String path,
        @Nullable String protocol,
        int status,
        @Nullable String responseFlags,
        long bytesReceived,
        long bytesSent,
        long durationMillis,
        @Nullable String upstreamHost,
        @Nullable String upstreamCluster,
        @Nullable String routeName,
        @Nullable String requestId,
        @Nullable String traceId,
        @Nullable String peerIdentity,
        @Nullable String downstreamRemoteAddress,
        String reporter,
        @Nullable String policyDecision) {

    public AccessLogEntry {
        requireNonNull(time, "time");
        requireNonNull(reporter, "reporter");
        if (status < 0 || status > 999) {
            throw new IllegalArgumentException("status: " + status + " (expected: 0..999)");
        }
        if (bytesReceived < 0 || bytesSent < 0 || durationMillis < 0) {
            throw new IllegalArgumentException("bytesReceived: " + bytesReceived + ", bytesSent: " + bytesSent
                    + ", durationMillis: " + durationMillis + " (expected: >= 0)");
        }
    }
}
