package dev.meshpilot.policy.route;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The Sidecar resource that applies to a workload (its own by workloadSelector, else its namespace's default, else
 * the root namespace's default), as the data plane needs it.
 *
 * @param sidecar               {@code namespace/name} of the Sidecar
 * @param egress                outbound listeners in the order written; empty = every host on every port
 * @param ingress               inbound listeners in the order written; empty = Istio's default (the workload's ports)
 * @param outboundTrafficPolicy {@code ALLOW_ANY} or {@code REGISTRY_ONLY}; null when the Sidecar sets none (mesh default)
 */
public record SidecarConfig(String sidecar, List<EgressListener> egress, List<IngressListener> ingress,
        @Nullable String outboundTrafficPolicy) {

    public SidecarConfig {
        requireNonNull(sidecar, "sidecar");
        egress = List.copyOf(egress);
        ingress = List.copyOf(ingress);
    }

    /**
     * The egress listener serving outbound traffic to {@code port}: the one for that port, else the one without a
     * port; empty when neither exists (the port has no listener: only passthrough under ALLOW_ANY reaches it).
     */
    public Optional<EgressListener> egressFor(int port) {
        Optional<EgressListener> exact = egress.stream().filter(l -> l.port() != null && l.port().number() == port).findFirst();
        return exact.isPresent() ? exact : egress.stream().filter(l -> l.port() == null).findFirst();
    }

    /** The ingress listener for an inbound port, empty when the Sidecar declares none for it. */
    public Optional<IngressListener> ingressFor(int port) {
        return ingress.stream().filter(l -> l.port().number() == port).findFirst();
    }

    /**
     * A listener port.
     *
     * @param protocol upper case (HTTP, TCP, GRPC…), AUTO when not set
     */
    public record Port(int number, String protocol, @Nullable String name) {
        public Port {
            requireNonNull(protocol, "protocol");
        }
    }

    /**
     * An outbound listener ({@code spec.egress[]}).
     *
     * @param port        the port it serves, null for every other port (the catch-all listener)
     * @param bind        the address it binds, null for Istio's default (0.0.0.0 with iptables capture)
     * @param captureMode DEFAULT, IPTABLES or NONE
     * @param hosts       the imported hosts as written, lower case: {@code namespace/host}, {@code ./host},
     *                    {@code * /host}, {@code ~/*}
     */
    public record EgressListener(@Nullable Port port, @Nullable String bind, String captureMode, List<String> hosts) {
        public EgressListener {
            requireNonNull(captureMode, "captureMode");
            hosts = List.copyOf(hosts);
        }
    }

    /**
     * An inbound listener ({@code spec.ingress[]}): traffic arriving at {@code port} goes to {@code defaultEndpoint}.
     *
     * @param bind            the address it binds, null for Istio's default
     * @param captureMode     DEFAULT, IPTABLES or NONE
     * @param defaultEndpoint {@code 127.0.0.1:PORT}, {@code 0.0.0.0:PORT}, {@code [::1]:PORT}, {@code [::]:PORT} or
     *                        {@code unix://path}; null for Istio's default (the workload's address at {@code port})
     */
    public record IngressListener(Port port, @Nullable String bind, String captureMode, @Nullable String defaultEndpoint) {
        public IngressListener {
            requireNonNull(port, "port");
            requireNonNull(captureMode, "captureMode");
        }

        /** The workload port the traffic goes to: the defaultEndpoint's port, else the listener's port. */
        public int targetPort() {
            if (defaultEndpoint == null || defaultEndpoint.startsWith("unix://")) {
                return port.number();
            }
            return Integer.parseInt(defaultEndpoint.substring(defaultEndpoint.lastIndexOf(':') + 1));
        }
    }
}
