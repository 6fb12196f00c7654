package dev.meshpilot.policy.route;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The proxy asking for a decision: the ingress gateway (namespace {@code istio-system}, labels
 * {@code istio: ingressgateway}) or the sidecar of one workload instance.
 *
 * @param deployment the workload's Deployment name, {@code null} for a gateway
 */
public record ProxyRef(Kind kind, String namespace, Map<String, String> labels, String serviceAccount,
        @Nullable String deployment) {

    public enum Kind { GATEWAY, SIDECAR }

    public ProxyRef {
        requireNonNull(kind, "kind");
        requireNonNull(namespace, "namespace");
        labels = Map.copyOf(labels);
        requireNonNull(serviceAccount, "serviceAccount");
    }

    /** The default ingress gateway: {@code istio-system}, {@code istio: ingressgateway}. */
    public static ProxyRef ingressGateway() {
        return new ProxyRef(Kind.GATEWAY, "istio-system", Map.of("istio", "ingressgateway", "app", "istio-ingressgateway"),
                "istio-ingressgateway-service-account", null);
    }

    public static ProxyRef sidecar(String namespace, String deployment, Map<String, String> labels, String serviceAccount) {
        return new ProxyRef(Kind.SIDECAR, namespace, labels, serviceAccount, deployment);
    }
}
