package dev.meshpilot.policy.route;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A destination resolved to its workloads.
 *
 * @param namespace  namespace of the Service
 * @param service    name of the Service
 * @param selector   labels an endpoint must carry: the Service's selector plus the subset's labels
 * @param targetPort the port the workload's container listens on
 */
public record ResolvedDestination(String namespace, String service, Map<String, String> selector, int targetPort) {
    public ResolvedDestination {
        requireNonNull(namespace, "namespace");
        requireNonNull(service, "service");
        selector = Map.copyOf(selector);
    }

    /** Whether an endpoint with these labels serves this destination. */
    public boolean selects(Map<String, String> labels) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
}
