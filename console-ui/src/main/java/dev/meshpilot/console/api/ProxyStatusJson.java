package dev.meshpilot.console.api;

import dev.meshpilot.proxy.fleet.ProxyStatus;

/**
 * One proxy of the embedded fleet as the REST API shows it.
 *
 * @param proxyId    the instance (pod) name, or {@code istio-ingressgateway}
 * @param version    the commit id of the configuration it serves ({@code ""} before the first)
 * @param synced     whether it serves the fleet's latest applied commit
 */
public record ProxyStatusJson(String proxyId, String namespace, String deployment, String version, boolean synced) {

    public static ProxyStatusJson of(ProxyStatus status) {
        return new ProxyStatusJson(status.proxyId(), status.namespace(), status.deployment(), status.version(),
                status.synced());
    }
}
