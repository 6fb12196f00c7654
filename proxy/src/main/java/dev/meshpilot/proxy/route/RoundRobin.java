package dev.meshpilot.proxy.route;

import dev.meshpilot.proxy.endpoint.Endpoint;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Round robin over the endpoints of each destination, skipping endpoints a retry already tried. */
public final class RoundRobin {

    private final ConcurrentMap<String, AtomicInteger> counters = new ConcurrentHashMap<>();

    /**
     * The next endpoint for {@code key} not in {@code tried}; when all were tried, the next one anyway.
     *
     * @return null only when {@code endpoints} is empty
     */
    public @Nullable Endpoint next(String key, List<Endpoint> endpoints, Set<String> tried) {
        if (endpoints.isEmpty()) {
            return null;
        }
        AtomicInteger counter = counters.computeIfAbsent(key, k -> new AtomicInteger());
        int start = Math.floorMod(counter.getAndIncrement(), endpoints.size());
        for (int i = 0; i < endpoints.size(); i++) {
            Endpoint candidate = endpoints.get((start + i) % endpoints.size());
            if (!tried.contains(candidate.id())) {
                return candidate;
            }
        }
        return endpoints.get(start);
    }
}
