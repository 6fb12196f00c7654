package dev.meshpilot.policy.workload;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/** A Kubernetes Service: its selector and ports. */
public record ServiceSpec(String namespace, String name, Map<String, String> selector, List<ServicePort> ports) {

    public ServiceSpec {
        requireNonNull(namespace, "namespace");
        requireNonNull(name, "name");
        selector = Map.copyOf(selector);
        ports = List.copyOf(ports);
    }

    /** {@code name.namespace.svc.cluster.local}. */
    public String fqdn() {
        return name + "." + namespace + ".svc.cluster.local";
    }

    /** @param name the port's name, empty when unnamed */
    public record ServicePort(String name, int port, int targetPort) {}
}
