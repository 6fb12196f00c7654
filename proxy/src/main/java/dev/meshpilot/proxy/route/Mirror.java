package dev.meshpilot.proxy.route;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.WeightedDestination;
import dev.meshpilot.proxy.egress.HostResolver;
import dev.meshpilot.proxy.endpoint.Endpoint;
import dev.meshpilot.proxy.endpoint.EndpointRegistry;
import dev.meshpilot.proxy.identity.SpiffeId;
import dev.meshpilot.proxy.internal.Authorities;
import dev.meshpilot.proxy.tls.Origination;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Envoy's request mirroring: for {@code percent} of requests, a copy goes to the mirror destination with
 * {@code -shadow} appended to its host, fire and forget: its answer, failure or slowness never touches the main
 * response. A mirror destination without an endpoint is skipped.
 */
final class Mirror {

    private static final Logger LOG = LoggerFactory.getLogger(Mirror.class);
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ProxyRef self;
    private final Destinations destinations;
    private final EndpointRegistry registry;
    private final HostResolver resolver;
    private final UpstreamClient upstream;
    private final Executor executor;
    private final RoundRobin roundRobin = new RoundRobin();

    /** @param self the proxy that mirrors: its namespace looks up DestinationRules, its identity speaks mTLS */
    Mirror(ProxyRef self, Destinations destinations, EndpointRegistry registry, HostResolver resolver,
            UpstreamClient upstream, Executor executor) {
        this.self = requireNonNull(self, "self");
        this.destinations = requireNonNull(destinations, "destinations");
        this.registry = requireNonNull(registry, "registry");
        this.resolver = requireNonNull(resolver, "resolver");
        this.upstream = requireNonNull(upstream, "upstream");
        this.executor = requireNonNull(executor, "executor");
    }

    /** Sends the copy when the percentage says so; returns at once. */
    void maybeSend(MeshSnapshot snapshot, RouteExtras.Mirror mirror, Attempt a, int requestPort,
            Map<String, List<String>> headers, byte[] body) {
        if (ThreadLocalRandom.current().nextDouble(100) >= mirror.percent()) {
            return;
        }
        Destinations.Info info = destinations.of(snapshot, self.namespace(),
                new WeightedDestination(mirror.host(), mirror.subset(), mirror.port(), 100), requestPort);
        InetSocketAddress target;
        Set<SpiffeId> peers = null;
        boolean external = !info.service();
        if (external) {
            try {
                target = resolver.resolve(mirror.host(), info.port());
            } catch (Exception e) {
                LOG.debug("mirror {}: cannot resolve {}", a.cluster, mirror.host(), e);
                return;
            }
        } else {
            List<Endpoint> endpoints = info.resolved() == null ? List.of() : registry.select(info.resolved());
            Endpoint endpoint = roundRobin.next(info.cluster(), endpoints, Set.of());
            if (endpoint == null) {
                return;
            }
            target = endpoint.inbound();
            // the copy speaks mTLS where the main request would (a STRICT destination refuses plaintext)
            peers = upstream.tls(snapshot, self, mirror.host(), mirror.subset(), info.port(),
                    info.resolved() == null ? info.port() : info.resolved().targetPort(), endpoints).peersFor(endpoint);
        }
        Set<SpiffeId> expected = peers;
        // and originates TLS where the DestinationRule says SIMPLE / MUTUAL (never plaintext instead)
        Origination origination = info.origination() == null ? null
                : upstream.originate(info.origination(), self.namespace(), mirror.host());
        String authority = shadow(a.authority);
        String method = a.method;
        String path = a.path;
        Map<String, List<String>> copy = Map.copyOf(headers);
        executor.execute(() -> {
            try {
                upstream.sendTry(target, origination, expected, method, authority, path, copy, body, TIMEOUT,
                        external);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** {@code host-shadow[:port]}: Envoy's host of a mirrored request. */
    static String shadow(String authority) {
        String host = Authorities.hostOf(authority);
        return host + "-shadow" + authority.substring(host.length());
    }
}
