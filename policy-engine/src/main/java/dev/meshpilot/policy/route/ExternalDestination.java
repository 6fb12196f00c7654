package dev.meshpilot.policy.route;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A route destination that is a ServiceEntry host, resolved to where connections go.
 *
 * @param service  the ServiceEntry
 * @param port     the declared port the request was for
 * @param subset   the DestinationRule subset that filtered the endpoints, null for every endpoint
 * @param targets  where to connect, in the ServiceEntry's order: the listed endpoints (those the subset's labels
 *                 select) at their port for {@code port}; for DNS / DNS_ROUND_ROBIN / DYNAMIC_DNS without listed endpoints the
 *                 requested host itself at the port's targetPort (else its number); for NONE the requested host and
 *                 port (passthrough); empty when a workloadSelector picks mesh workloads (see
 *                 {@link ExternalService#workloadSelector()}) or the subset selects nothing
 */
public record ExternalDestination(ExternalService service, ExternalService.Port port, @Nullable String subset,
        List<Target> targets) {

    public ExternalDestination {
        requireNonNull(service, "service");
        requireNonNull(port, "port");
        targets = List.copyOf(targets);
    }

    /**
     * One address to connect to.
     *
     * @param address IP, host name to resolve (resolution DNS/DNS_ROUND_ROBIN/NONE) or {@code unix://} path
     * @param weight  load-balancing weight, 0 when not set (an equal share)
     * @param labels  the endpoint's labels
     * @param network the endpoint's network, null when not set
     */
    public record Target(String address, int port, int weight, Map<String, String> labels, @Nullable String network) {
        public Target {
            requireNonNull(address, "address");
            labels = Map.copyOf(labels);
        }
    }
}
