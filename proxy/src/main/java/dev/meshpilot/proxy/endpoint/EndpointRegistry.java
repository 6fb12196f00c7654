package dev.meshpilot.proxy.endpoint;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.route.ResolvedDestination;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The running instances of the mesh, shared by every proxy of one fleet. Thread-safe. {@link #select} answers
 * from a cache per destination that every registration change replaces (requests look up, they do not filter).
 */
public final class EndpointRegistry {

    /** Destinations cached per registry generation before the cache starts over (snapshots come and go). */
    private static final int MAX_CACHED = 4096;

    private final ConcurrentMap<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    /** Replaced after every change; a select that saw the old map caches into the old map only. */
    private volatile ConcurrentMap<ResolvedDestination, List<Endpoint>> selected = new ConcurrentHashMap<>();

    public void register(Endpoint endpoint) {
        requireNonNull(endpoint, "endpoint");
        endpoints.put(endpoint.id(), endpoint);
        selected = new ConcurrentHashMap<>();
    }

    public void deregister(String id) {
        endpoints.remove(requireNonNull(id, "id"));
        selected = new ConcurrentHashMap<>();
    }

    /** The endpoints in the destination's namespace whose labels its selector selects, ordered by id. */
    public List<Endpoint> select(ResolvedDestination destination) {
        requireNonNull(destination, "destination");
        ConcurrentMap<ResolvedDestination, List<Endpoint>> cache = selected;
        List<Endpoint> cached = cache.get(destination);
        if (cached != null) {
            return cached;
        }
        List<Endpoint> computed = compute(destination);
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(destination, computed);
        return computed;
    }

    private List<Endpoint> compute(ResolvedDestination destination) {
        return endpoints.values().stream()
                .filter(e -> e.namespace().equals(destination.namespace()) && destination.selects(e.labels()))
                .sorted(Comparator.comparing(Endpoint::id))
                .toList();
    }

    public List<Endpoint> all() {
        return endpoints.values().stream().sorted(Comparator.comparing(Endpoint::id)).toList();
    }
}
