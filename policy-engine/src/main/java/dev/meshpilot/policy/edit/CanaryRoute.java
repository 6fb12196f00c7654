package dev.meshpilot.policy.edit;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.route.WeightedDestination;
import java.util.List;

/**
 * One http route with two or more destinations: a traffic split the console can edit.
 *
 * @param file           the file that defines the VirtualService
 * @param hosts          the VirtualService's hosts as written
 * @param gateways       the gateways as written, empty for {@code mesh}
 * @param rule           index of the http rule in {@code spec.http}
 * @param destinations   the destinations with their weights (FQDN hosts; a missing weight is 0)
 */
public record CanaryRoute(String file, String namespace, String virtualService, List<String> hosts,
        List<String> gateways, int rule, List<WeightedDestination> destinations) {
    public CanaryRoute {
        requireNonNull(file, "file");
        requireNonNull(namespace, "namespace");
        requireNonNull(virtualService, "virtualService");
        hosts = List.copyOf(hosts);
        gateways = List.copyOf(gateways);
        destinations = List.copyOf(destinations);
    }
}
