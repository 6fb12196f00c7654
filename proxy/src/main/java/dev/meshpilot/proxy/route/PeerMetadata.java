package dev.meshpilot.proxy.route;

import dev.meshpilot.observability.metrics.RequestLabels;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.proxy.identity.PeerPrincipal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who sent a request, passed from the source proxy to the destination sidecar (as Istio's metadata exchange does),
 * so the destination can report {@code reporter="destination"} metrics and the peer in its access log.
 * Until mTLS authenticates peers these headers are informative only; the source proxy always overwrites them.
 */
public record PeerMetadata(String namespace, String workload, @Nullable String app, @Nullable String version,
        String principal, @Nullable String destinationService) {

    public static final String PEER = "x-meshpilot-peer";
    public static final String DESTINATION_SERVICE = "x-meshpilot-destination-service";
    public static final String CLIENT_CERT = "x-forwarded-client-cert";
    public static final Set<String> HEADERS = Set.of(PEER, DESTINATION_SERVICE, CLIENT_CERT);

    /** Sets the headers describing {@code self} calling {@code service}. */
    static void put(Map<String, List<String>> headers, ProxyRef self, String service) {
        Outgoing.of(self).put(headers, service);
    }

    /** The header values of one source proxy that do not vary per request, built once per proxy. */
    record Outgoing(List<String> peer, List<String> clientCert) {

        static Outgoing of(ProxyRef self) {
            String workload = self.deployment() != null ? self.deployment() : "istio-ingressgateway";
            return new Outgoing(List.of(String.join(";", self.namespace(), workload,
                    self.labels().getOrDefault("app", ""), self.labels().getOrDefault("version", ""))),
                    List.of("URI=" + SourceMetrics.principal(self.namespace(), self.serviceAccount())));
        }

        /** Sets the headers describing this proxy calling {@code service}. */
        void put(Map<String, List<String>> headers, String service) {
            headers.put(PEER, peer);
            headers.put(DESTINATION_SERVICE, List.of(service));
            headers.put(CLIENT_CERT, clientCert);
        }
    }

    /** Reads the headers, or null when the caller sent none. */
    public static @Nullable PeerMetadata read(Map<String, List<String>> headers) {
        String peer = first(headers, PEER);
        String cert = first(headers, CLIENT_CERT);
        if (peer == null || cert == null) {
            return null;
        }
        String[] parts = peer.split(";", -1);
        if (parts.length != 4) {
            return null;
        }
        return new PeerMetadata(parts[0], parts[1], parts[2].isEmpty() ? null : parts[2],
                parts[3].isEmpty() ? null : parts[3], cert.replaceFirst("^.*URI=", ""),
                first(headers, DESTINATION_SERVICE));
    }

    /** Istio's labels for a request as the destination sidecar {@code self} reports it, for a plaintext peer. */
    public static RequestLabels destinationLabels(ProxyRef self, @Nullable PeerMetadata source, int status,
            String flags) {
        return destinationLabels(self, source, PeerPrincipal.PLAINTEXT, status, flags);
    }

    /**
     * Istio's labels for a request as the destination sidecar {@code self} reports it: {@code source_principal} and
     * {@code connection_security_policy} from what the transport proved ({@code transport}), the other source labels
     * from the (unauthenticated) peer metadata headers.
     */
    public static RequestLabels destinationLabels(ProxyRef self, @Nullable PeerMetadata source,
            PeerPrincipal transport, int status, String flags) {
        RequestLabels.Builder b = RequestLabels.builder().reporter("destination")
                .destinationWorkload(self.deployment()).destinationWorkloadNamespace(self.namespace())
                .destinationPrincipal(SourceMetrics.principal(self.namespace(), self.serviceAccount()))
                .destinationApp(self.labels().get("app")).destinationVersion(self.labels().get("version"))
                .destinationCluster("Kubernetes").requestProtocol("http").responseCode(status).responseFlags(flags)
                .connectionSecurityPolicy(transport.mutualTls() ? RequestLabels.MUTUAL_TLS : RequestLabels.NONE);
        if (transport.spiffeId() != null) {
            b.sourcePrincipal(transport.spiffeId().toString());
        }
        if (source != null) {
            b.sourceWorkload(source.workload()).sourceWorkloadNamespace(source.namespace())
                    .sourceApp(source.app()).sourceVersion(source.version()).sourceCluster("Kubernetes");
            String service = source.destinationService();
            if (service != null) {
                String[] parts = service.split("\\.");
                b.destinationService(service).destinationServiceName(parts[0])
                        .destinationServiceNamespace(parts.length > 1 ? parts[1] : null);
            }
        }
        return b.build();
    }

    private static @Nullable String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
