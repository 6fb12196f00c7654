package dev.meshpilot.proxy.endpoint;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.route.ResolvedDestination;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The running instances of the mesh, shared by every proxy of one fleet. Thread-safe. */
public final class EndpointRegistry {

    private final ConcurrentMap<String, Endpoint> endpoints = new ConcurrentHashMap<>();

    public void register(Endpoint endpoint) {
        requireNonNull(endpoint, "endpoint");
        endpoints.put(endpoint.id(), endpoint);
    }

    public void deregister(String id) {
        endpoints.remove(requireNonNull(id, "id"));
    }

    /** The endpoints in the destination's namespace whose labels its selector selects, ordered by id. */
    public List<Endpoint> select(ResolvedDestination destination) {
        requireNonNull(destination, "destination");
        return endpoints.values().stream()
                .filter(e -> e.namespace().equals(destination.namespace()) && destination.selects(e.labels()))
                .sorted(Comparator.comparing(Endpoint::id))
                .toList();
    }

    public List<Endpoint> all() {
        return endpoints.values().stream().sorted(Comparator.comparing(Endpoint::id)).toList();
    }
}
