package dev.meshpilot.observability.metrics;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * The labels of Istio's standard request metrics, one component per label (Istio's names in snake case).
 * A null value becomes {@code unknown}, as in Istio; {@code response_flags} defaults to {@code -}.
 *
 * <p>Also the key of {@link IstioMetrics}' meter cache: equal label sets share meters.
 *
 * @param reporter {@code source} (client sidecar or gateway) or {@code destination} (server sidecar)
 * @param sourcePrincipal / destinationPrincipal SPIFFE ids ({@code spiffe://cluster.local/ns/default/sa/sleep})
 * @param destinationService the FQDN ({@code hello.default.svc.cluster.local})
 * @param requestProtocol {@code http}, {@code grpc} or {@code tcp}
 * @param connectionSecurityPolicy {@code mutual_tls}, {@code none} or {@code unknown}
 */
public record RequestLabels(
        String reporter,
        String sourceWorkload,
        String sourceWorkloadNamespace,
        String sourcePrincipal,
        String sourceApp,
        String sourceVersion,
        String sourceCluster,
        String destinationWorkload,
        String destinationWorkloadNamespace,
        String destinationPrincipal,
        String destinationApp,
        String destinationVersion,
        String destinationService,
        String destinationServiceName,
        String destinationServiceNamespace,
        String destinationCluster,
        String requestProtocol,
        int responseCode,
        String responseFlags,
        String connectionSecurityPolicy) {

    public static final String UNKNOWN = "unknown";
    public static final String MUTUAL_TLS = "mutual_tls";
    public static final String NONE = "none";

    public RequestLabels {
        requireNonNull(reporter, "reporter");
        requireNonNull(sourceWorkload, "sourceWorkload");
        requireNonNull(sourceWorkloadNamespace, "sourceWorkloadNamespace");
        requireNonNull(sourcePrincipal, "sourcePrincipal");
        requireNonNull(sourceApp, "sourceApp");
        requireNonNull(sourceVersion, "sourceVersion");
        requireNonNull(sourceCluster, "sourceCluster");
        requireNonNull(destinationWorkload, "destinationWorkload");
        requireNonNull(destinationWorkloadNamespace, "destinationWorkloadNamespace");
        requireNonNull(destinationPrincipal, "destinationPrincipal");
        requireNonNull(destinationApp, "destinationApp");
        requireNonNull(destinationVersion, "destinationVersion");
        requireNonNull(destinationService, "destinationService");
        requireNonNull(destinationServiceName, "destinationServiceName");
        requireNonNull(destinationServiceNamespace, "destinationServiceNamespace");
        requireNonNull(destinationCluster, "destinationCluster");
        requireNonNull(requestProtocol, "requestProtocol");
        requireNonNull(responseFlags, "responseFlags");
        requireNonNull(connectionSecurityPolicy, "connectionSecurityPolicy");
        if (responseCode < 0 || responseCode > 999) {
            throw new IllegalArgumentException("responseCode: " + responseCode + " (expected: 0..999)");
        }
        if (!connectionSecurityPolicy.equals(MUTUAL_TLS) && !connectionSecurityPolicy.equals(NONE)
                && !connectionSecurityPolicy.equals(UNKNOWN)) {
            throw new IllegalArgumentException("connectionSecurityPolicy: " + connectionSecurityPolicy
                    + " (expected: mutual_tls, none or unknown)");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link RequestLabels}; every label starts as {@code unknown} (flags {@code -}, protocol http). */
    public static final class Builder {
        private String reporter = UNKNOWN;
        private String sourceWorkload = UNKNOWN;
        private String sourceWorkloadNamespace = UNKNOWN;
        private String sourcePrincipal = UNKNOWN;
        private String sourceApp = UNKNOWN;
        private String sourceVersion = UNKNOWN;
        private String sourceCluster = UNKNOWN;
        private String destinationWorkload = UNKNOWN;
        private String destinationWorkloadNamespace = UNKNOWN;
        private String destinationPrincipal = UNKNOWN;
        private String destinationApp = UNKNOWN;
        private String destinationVersion = UNKNOWN;
        private String destinationService = UNKNOWN;
        private String destinationServiceName = UNKNOWN;
        private String destinationServiceNamespace = UNKNOWN;
        private String destinationCluster = UNKNOWN;
        private String requestProtocol = "http";
        private int responseCode;
        private String responseFlags = "-";
        private String connectionSecurityPolicy = UNKNOWN;

        private Builder() {}

        private static String orUnknown(@Nullable String value) {
            return value == null || value.isEmpty() ? UNKNOWN : value;
        }

        public Builder reporter(@Nullable String v) { reporter = orUnknown(v); return this; }
        public Builder sourceWorkload(@Nullable String v) { sourceWorkload = orUnknown(v); return this; }
        public Builder sourceWorkloadNamespace(@Nullable String v) { sourceWorkloadNamespace = orUnknown(v); return this; }
        public Builder sourcePrincipal(@Nullable String v) { sourcePrincipal = orUnknown(v); return this; }
        public Builder sourceApp(@Nullable String v) { sourceApp = orUnknown(v); return this; }
        public Builder sourceVersion(@Nullable String v) { sourceVersion = orUnknown(v); return this; }
        public Builder sourceCluster(@Nullable String v) { sourceCluster = orUnknown(v); return this; }
        public Builder destinationWorkload(@Nullable String v) { destinationWorkload = orUnknown(v); return this; }
        public Builder destinationWorkloadNamespace(@Nullable String v) { destinationWorkloadNamespace = orUnknown(v); return this; }
        public Builder destinationPrincipal(@Nullable String v) { destinationPrincipal = orUnknown(v); return this; }
        public Builder destinationApp(@Nullable String v) { destinationApp = orUnknown(v); return this; }
        public Builder destinationVersion(@Nullable String v) { destinationVersion = orUnknown(v); return this; }
        public Builder destinationService(@Nullable String v) { destinationService = orUnknown(v); return this; }
        public Builder destinationServiceName(@Nullable String v) { destinationServiceName = orUnknown(v); return this; }
        public Builder destinationServiceNamespace(@Nullable String v) { destinationServiceNamespace = orUnknown(v); return this; }
        public Builder destinationCluster(@Nullable String v) { destinationCluster = orUnknown(v); return this; }
        public Builder requestProtocol(@Nullable String v) { requestProtocol = orUnknown(v); return this; }
        public Builder responseCode(int v) { responseCode = v; return this; }
        public Builder responseFlags(@Nullable String v) { responseFlags = v == null || v.isEmpty() ? "-" : v; return this; }
        public Builder connectionSecurityPolicy(@Nullable String v) { connectionSecurityPolicy = orUnknown(v); return this; }

        public RequestLabels build() {
            return new RequestLabels(reporter, sourceWorkload, sourceWorkloadNamespace, sourcePrincipal, sourceApp,
                    sourceVersion, sourceCluster, destinationWorkload, destinationWorkloadNamespace,
                    destinationPrincipal, destinationApp, destinationVersion, destinationService,
                    destinationServiceName, destinationServiceNamespace, destinationCluster, requestProtocol,
                    responseCode, responseFlags, connectionSecurityPolicy);
        }
    }
}
