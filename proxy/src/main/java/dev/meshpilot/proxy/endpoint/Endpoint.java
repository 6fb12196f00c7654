package dev.meshpilot.proxy.endpoint;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * One running workload instance as the mesh reaches it.
 *
 * @param id      the instance (pod) name, {@code <deployment>-<5 chars>}
 * @param inbound the address of its sidecar's inbound listener (or of the workload when it has no sidecar)
 */
public record Endpoint(String id, String namespace, String deployment, Map<String, String> labels,
        String serviceAccount, InetSocketAddress inbound) {

    public Endpoint {
        requireNonNull(id, "id");
        requireNonNull(namespace, "namespace");
        requireNonNull(deployment, "deployment");
        labels = Map.copyOf(labels);
        requireNonNull(serviceAccount, "serviceAccount");
        requireNonNull(inbound, "inbound");
    }

    /** {@code 127.0.0.1:port}. */
    public String hostPort() {
        return inbound.getHostString() + ":" + inbound.getPort();
    }
}
