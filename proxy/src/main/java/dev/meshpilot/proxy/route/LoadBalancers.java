package dev.meshpilot.proxy.route;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.route.TrafficPolicy;
import dev.meshpilot.proxy.endpoint.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The load balancers of one proxy, as a DestinationRule's {@code loadBalancer} chooses: {@code ROUND_ROBIN} (the
 * default, also for {@code PASSTHROUGH}), {@code LEAST_REQUEST} / {@code LEAST_CONN} (Envoy's power of two choices by
 * requests in flight), {@code RANDOM}, and {@code consistentHash} (a {@link HashRing} per cluster; a request without a
 * hash key is balanced round robin). Every pick skips endpoints a retry already tried when another one is left.
 */
final class LoadBalancers {

    private final RoundRobin roundRobin;
    private final ConcurrentMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, HashRing> rings = new ConcurrentHashMap<>();

    LoadBalancers(RoundRobin roundRobin) {
        this.roundRobin = requireNonNull(roundRobin, "roundRobin");
    }

    /**
     * The balancer of one request to {@code cluster}.
     *
     * @param hashKey the request's consistent-hash key ({@link HashKeys}), null when it has none
     */
    Choice choose(String cluster, TrafficPolicy policy, @Nullable String hashKey) {
        return new Choice(cluster, policy, hashKey);
    }

    /** Whether {@code policy} balances otherwise than plain round robin (else no {@link Choice} is needed). */
    static boolean beyondRoundRobin(TrafficPolicy policy) {
        String simple = policy.loadBalancer();
        return policy.consistentHash() != null || (simple != null && !simple.equals("ROUND_ROBIN")
                && !simple.equals("PASSTHROUGH") && !simple.equals("UNSPECIFIED"));
    }

    /** Requests in flight to an endpoint from this proxy. */
    int inFlight(String endpointId) {
        AtomicInteger n = inFlight.get(endpointId);
        return n == null ? 0 : n.get();
    }

    /** One request's picks; {@link #close} when the request is done, to release its in-flight counts. */
    final class Choice implements AutoCloseable {
        private final String cluster;
        private final TrafficPolicy policy;
        private final @Nullable String hashKey;
        private final List<AtomicInteger> held = new ArrayList<>(2);

        private Choice(String cluster, TrafficPolicy policy, @Nullable String hashKey) {
            this.cluster = requireNonNull(cluster, "cluster");
            this.policy = requireNonNull(policy, "policy");
            this.hashKey = hashKey;
        }

        /** @return null only when {@code endpoints} is empty */
        @Nullable Endpoint pick(List<Endpoint> endpoints, Set<String> tried) {
            Endpoint e = select(endpoints, tried);
            if (e != null) {
                AtomicInteger n = inFlight.computeIfAbsent(e.id(), k -> new AtomicInteger());
                n.incrementAndGet();
                held.add(n);
            }
            return e;
        }

        private @Nullable Endpoint select(List<Endpoint> endpoints, Set<String> tried) {
            if (endpoints.isEmpty()) {
                return null;
            }
            if (policy.consistentHash() != null && hashKey != null) {
                return ring(endpoints).pick(hashKey, tried);
            }
            String simple = policy.loadBalancer() == null ? "ROUND_ROBIN" : policy.loadBalancer();
            return switch (simple) {
                case "LEAST_REQUEST", "LEAST_CONN" -> leastRequest(untried(endpoints, tried));
                case "RANDOM" -> {
                    List<Endpoint> left = untried(endpoints, tried);
                    yield left.get(ThreadLocalRandom.current().nextInt(left.size()));
                }
                default -> roundRobin.next(cluster, endpoints, tried);
            };
        }

        private HashRing ring(List<Endpoint> endpoints) {
            HashRing ring = rings.get(cluster);
            if (ring == null || !ring.endpoints().equals(endpoints)) {
                ring = new HashRing(endpoints);
                rings.put(cluster, ring);
            }
            return ring;
        }

        @Override
        public void close() {
            held.forEach(AtomicInteger::decrementAndGet);
            held.clear();
        }
    }

    /** Envoy's power of two choices: the less busy of two random endpoints. */
    private Endpoint leastRequest(List<Endpoint> endpoints) {
        if (endpoints.size() == 1) {
            return endpoints.get(0);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int i = random.nextInt(endpoints.size());
        int j = random.nextInt(endpoints.size() - 1);
        if (j >= i) {
            j++;
        }
        Endpoint a = endpoints.get(i);
        Endpoint b = endpoints.get(j);
        return inFlight(b.id()) < inFlight(a.id()) ? b : a;
    }

    /** The endpoints not tried yet, or all of them when every one was tried. */
    private static List<Endpoint> untried(List<Endpoint> endpoints, Set<String> tried) {
        if (tried.isEmpty()) {
            return endpoints;
        }
        List<Endpoint> left = new ArrayList<>(endpoints.size());
        for (Endpoint e : endpoints) {
            if (!tried.contains(e.id())) {
                left.add(e);
            }
        }
        return left.isEmpty() ? endpoints : left;
    }
}
