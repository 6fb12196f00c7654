package dev.meshpilot.policy.workload;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A Kubernetes Service: its selector, ports and mesh visibility.
 *
 * @param exportTo the namespaces its annotation {@code networking.istio.io/exportTo} exports it to ({@code .} for its
 *                 own, {@code *} for all, {@code ~} for none, or names); empty when not annotated (every namespace)
 */
public record ServiceSpec(String namespace, String name, Map<String, String> selector, List<ServicePort> ports,
        List<String> exportTo) {

    public ServiceSpec {
        requireNonNull(namespace, "namespace");
        requireNonNull(name, "name");
        selector = Map.copyOf(selector);
        ports = List.copyOf(ports);
        exportTo = List.copyOf(exportTo);
    }

    /** A Service exported to every namespace. */
    public ServiceSpec(String namespace, String name, Map<String, String> selector, List<ServicePort> ports) {
        this(namespace, name, selector, ports, List.of());
    }

    /** Whether clients in {@code clientNamespace} see this Service (Istio's exportTo rules). */
    public boolean visibleTo(String clientNamespace) {
        if (exportTo.isEmpty() || exportTo.contains("*")) {
            return true;
        }
        if (exportTo.contains("~")) {
            return false;
        }
        return exportTo.contains(clientNamespace) || (exportTo.contains(".") && namespace.equals(clientNamespace));
    }

    /** {@code name.namespace.svc.cluster.local}. */
    public String fqdn() {
        return name + "." + namespace + ".svc.cluster.local";
    }

    /** @param name the port's name, empty when unnamed */
    public record ServicePort(String name, int port, int targetPort) {}
}
