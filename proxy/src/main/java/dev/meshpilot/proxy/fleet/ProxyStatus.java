package dev.meshpilot.proxy.fleet;

import static java.util.Objects.requireNonNull;

/**
 * One proxy of the fleet and the configuration it serves.
 *
 * @param proxyId the instance (pod) name, or {@code istio-ingressgateway}
 * @param version the snapshot version it serves ({@code ""} before the first)
 * @param synced  whether it serves the fleet's latest applied version
 */
public record ProxyStatus(String proxyId, String namespace, String deployment, String version, boolean synced) {
    public ProxyStatus {
        requireNonNull(proxyId, "proxyId");
        requireNonNull(namespace, "namespace");
        requireNonNull(deployment, "deployment");
        requireNonNull(version, "version");
    }
}
