package dev.meshpilot.proxy.route;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ExternalDestination;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.proxy.egress.HostResolver;
import dev.meshpilot.proxy.egress.OutboundPolicy;
import dev.meshpilot.proxy.endpoint.Endpoint;
import dev.meshpilot.proxy.internal.Authorities;
import io.undertow.server.HttpServerExchange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts outside the mesh as one proxy reaches them: a ServiceEntry host or a passed-through host is one endpoint at
 * the address its {@link HostResolver} gives; a sidecar call that no route matches goes where Istio's outbound
 * traffic policy says ({@link OutboundPolicy}).
 */
final class ExternalHosts {

    /** Namespace, deployment and service account of the endpoint that stands for a host outside the mesh. */
    static final String EXTERNAL = "unknown";

    private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|\\[?[0-9a-fA-F:.]*:[0-9a-fA-F:.]*]?");
    private static final Logger LOG = LoggerFactory.getLogger(RoutingHandler.class);

    private final ProxyRef self;
    private final HostResolver resolver;

    ExternalHosts(ProxyRef self, HostResolver resolver) {
        this.self = requireNonNull(self, "self");
        this.resolver = requireNonNull(resolver, "resolver");
    }

    /** The one endpoint of a host outside the mesh, or null after answering 503 when its name does not resolve. */
    @Nullable List<Endpoint> endpoint(HttpServerExchange exchange, Attempt a, String host, int port) {
        try {
            InetSocketAddress address = resolver.resolve(host, port);
            return List.of(new Endpoint(host + ":" + port, EXTERNAL, EXTERNAL, Map.of(), EXTERNAL, address));
        } catch (UnknownHostException | RuntimeException e) {
            a.fail(exchange, 503, "UH", "no healthy upstream for " + host + ": cannot resolve " + host + " (" + e + ")");
            return null;
        }
    }

    /**
     * The endpoints of a ServiceEntry destination ({@code external}: its targets — IP addresses as they are, names
     * resolved by the {@link HostResolver}), or the host itself when {@code external} is null; null after answering
     * 503 {@code UH} when none is left (no target selected, or none resolves).
     */
    @Nullable List<Endpoint> endpoints(HttpServerExchange exchange, Attempt a, @Nullable ExternalDestination external,
            String host, int port) {
        if (external == null) {
            return endpoint(exchange, a, host, port);
        }
        List<Endpoint> endpoints = new ArrayList<>(external.targets().size());
        String failure = "";
        for (ExternalDestination.Target t : external.targets()) {
            if (t.address().startsWith("unix://")) {
                failure = ": " + t.address() + " is a unix socket";
                continue;
            }
            try {
                endpoints.add(new Endpoint(t.address() + ":" + t.port(), EXTERNAL, EXTERNAL, t.labels(), EXTERNAL,
                        address(t.address(), t.port())));
            } catch (UnknownHostException | RuntimeException e) {
                failure = ": cannot resolve " + t.address() + " (" + e + ")";
            }
        }
        if (endpoints.isEmpty()) {
            a.fail(exchange, 503, "UH", "no healthy upstream for " + host
                    + (external.subset() == null ? "" : " subset " + external.subset()) + failure);
            return null;
        }
        return List.copyOf(endpoints);
    }

    private InetSocketAddress address(String address, int port) throws UnknownHostException {
        return address(resolver, address, port);
    }

    /** An IP literal as it is (no lookup); a name through the resolver. */
    static InetSocketAddress address(HostResolver resolver, String address, int port) throws UnknownHostException {
        if (IP_LITERAL.matcher(address).matches()) {
            return new InetSocketAddress(InetAddress.getByName(address), port);
        }
        return resolver.resolve(address, port);
    }

    /**
     * A sidecar call the snapshot does not route: the passed-through endpoint ({@code PassthroughCluster}), or null
     * after answering 404 (a registry host without a route) or 502 (blocked, with a log line saying why).
     */
    @Nullable List<Endpoint> unrouted(HttpServerExchange exchange, Attempt a, MeshSnapshot snapshot, int port) {
        String host = Authorities.hostOf(a.authority);
        OutboundPolicy.Verdict verdict = OutboundPolicy.decide(snapshot, self, host, port);
        switch (verdict.action()) {
            case NO_ROUTE -> {
                a.fail(exchange, 404, "NR", "no route to " + a.authority);
                return null;
            }
            case BLOCK -> {
                LOG.warn("{} {}: 502 {}", RoutingHandler.serviceName(self), a.authority, verdict.reason());
                a.routeName = "block_all";
                a.cluster = "BlackHoleCluster";
                a.policy = verdict.reason();
                a.fail(exchange, 502, "NR", verdict.reason());
                return null;
            }
            default -> {
                a.routeName = "allow_any";
                a.cluster = "PassthroughCluster";
                a.service = host;
                return endpoint(exchange, a, host, port);
            }
        }
    }
}
