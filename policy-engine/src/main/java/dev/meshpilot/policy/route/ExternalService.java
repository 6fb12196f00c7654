package dev.meshpilot.policy.route;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A ServiceEntry as the data plane needs it: which hosts and ports it adds to the registry and where their traffic
 * goes.
 *
 * @param namespace        namespace of the ServiceEntry
 * @param name             its name
 * @param hosts            hosts as written, lower case (may start with {@code *.})
 * @param addresses        virtual IPs or CIDRs ({@code addresses}), empty when none
 * @param resolution       how the endpoints' addresses are found (Istio's default NONE)
 * @param location         MESH_EXTERNAL (Istio's default) or MESH_INTERNAL
 * @param ports            the declared ports
 * @param endpoints        the listed endpoints ({@code endpoints}), empty when none
 * @param workloadSelector labels of the mesh workloads in {@code namespace} that serve it, null when not set
 * @param exportTo         the namespaces it is visible to, as written (empty = everywhere)
 */
public record ExternalService(String namespace, String name, List<String> hosts, List<String> addresses,
        Resolution resolution, Location location, List<Port> ports, List<Endpoint> endpoints,
        @Nullable Map<String, String> workloadSelector, List<String> exportTo) {

    /** ServiceEntry resolution. */
    public enum Resolution {
        /** No endpoints: the connection goes to the address the application resolved (passthrough). */
        NONE,
        /** The endpoints' addresses are IPs used as they are. */
        STATIC,
        /** The endpoints' addresses (or the host itself when none are listed) are resolved by DNS, all addresses used. */
        DNS,
        /** As DNS, but each new connection uses the first address DNS returns (Istio: LOGICAL_DNS). */
        DNS_ROUND_ROBIN,
        /** The requested host (wildcard hosts allowed) is resolved by DNS when the request is made. */
        DYNAMIC_DNS
    }

    /** ServiceEntry location. */
    public enum Location { MESH_EXTERNAL, MESH_INTERNAL }

    /**
     * A declared port.
     *
     * @param name       the port's name (required by Istio; {@code port-<number>} stands in when it is missing)
     * @param protocol   upper case: HTTP, HTTPS, HTTP2, GRPC, TCP, TLS, MONGO…; AUTO when not set (Istio then detects
     *                   HTTP or TCP from the first bytes)
     * @param targetPort the endpoints' port when an endpoint's {@code ports} map does not name this port; null = number
     */
    public record Port(int number, String name, String protocol, @Nullable Integer targetPort) {
        public Port {
            requireNonNull(name, "name");
            requireNonNull(protocol, "protocol");
        }
    }

    /**
     * A listed endpoint.
     *
     * @param address IP, host name (DNS resolution) or {@code unix://} socket
     * @param ports   endpoint port by service port name, for the ports whose endpoint port differs
     * @param labels  labels that DestinationRule subsets select on
     * @param weight  load-balancing weight, 0 when not set (an equal share)
     * @param network network name, null when not set
     */
    public record Endpoint(String address, Map<String, Integer> ports, Map<String, String> labels, int weight,
            @Nullable String network) {
        public Endpoint {
            requireNonNull(address, "address");
            ports = Map.copyOf(ports);
            labels = Map.copyOf(labels);
        }
    }

    public ExternalService {
        requireNonNull(namespace, "namespace");
        requireNonNull(name, "name");
        requireNonNull(resolution, "resolution");
        requireNonNull(location, "location");
        hosts = List.copyOf(hosts);
        addresses = List.copyOf(addresses);
        ports = List.copyOf(ports);
        endpoints = List.copyOf(endpoints);
        workloadSelector = workloadSelector == null ? null : Map.copyOf(workloadSelector);
        exportTo = List.copyOf(exportTo);
    }

    /** The declared port with this number (0: the first declared port); empty when none. */
    public Optional<Port> port(int number) {
        if (number == 0) {
            return ports.stream().findFirst();
        }
        return ports.stream().filter(p -> p.number() == number).findFirst();
    }

    /**
     * The port an endpoint receives the traffic of a service port on: the endpoint's {@code ports} entry for the
     * port's name, else the port's targetPort, else its number (Istio's rule).
     */
    public static int endpointPort(Endpoint endpoint, Port port) {
        Integer mapped = endpoint.ports().get(port.name());
        if (mapped != null) {
            return mapped;
        }
        return port.targetPort() != null ? port.targetPort() : port.number();
    }
}
