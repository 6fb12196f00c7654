package dev.meshpilot.proxy.fleet;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ResolvedDestination;
import dev.meshpilot.proxy.egress.HostResolver;
import dev.meshpilot.proxy.endpoint.Endpoint;
import dev.meshpilot.proxy.endpoint.EndpointRegistry;
import dev.meshpilot.proxy.internal.Authorities;
import dev.meshpilot.proxy.internal.BlockingDispatch;
import dev.meshpilot.proxy.internal.Exchanges;
import dev.meshpilot.proxy.internal.Headers;
import dev.meshpilot.proxy.internal.Servers;
import dev.meshpilot.proxy.route.RoutingHandler;
import dev.meshpilot.proxy.route.UpstreamClient;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * The network a workload without a sidecar sees (Kubernetes Service networking, kube-proxy): its calls name a
 * Service ({@code world-reverse.ns2:8080}, {@code end}, {@code end.legacy.svc.cluster.local}) and reach one of the
 * Service's endpoints round robin, in plaintext, at the endpoint's inbound address (the destination's sidecar, or
 * the workload itself when it has none). No routing rules, no mTLS, no telemetry: a STRICT sidecar refuses these
 * calls. A failed connection is passed on as a reset (the connection to the workload is closed, as at layer 4);
 * a host that is not a Service is reached by its name ({@link HostResolver}).
 */
final class NoSidecarProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NoSidecarProxy.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String namespace;
    private final Supplier<@Nullable MeshSnapshot> snapshot;
    private final EndpointRegistry registry;
    private final HostResolver resolver;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final UpstreamClient upstream = new UpstreamClient(executor);
    private final AtomicInteger next = new AtomicInteger();
    private final Undertow server;

    /** Listens on {@code bindHost}, port 0, for the workloads of {@code namespace} (where short names resolve). */
    NoSidecarProxy(String bindHost, String namespace, Supplier<@Nullable MeshSnapshot> snapshot,
            EndpointRegistry registry, HostResolver resolver) {
        this.namespace = requireNonNull(namespace, "namespace");
        this.snapshot = requireNonNull(snapshot, "snapshot");
        this.registry = requireNonNull(registry, "registry");
        this.resolver = requireNonNull(resolver, "resolver");
        this.server = Servers.start(bindHost, List.of(new Servers.Listener(0,
                exchange -> BlockingDispatch.dispatch(exchange, executor, "network", this::forward))));
    }

    InetSocketAddress address() {
        return Servers.address(server, 0);
    }

    private void forward(HttpServerExchange exchange) throws InterruptedException, java.io.IOException {
        String authority = Exchanges.authority(exchange);
        int port = Authorities.portOf(authority, 80);
        String host = authority.contains(":") && !authority.endsWith("]")
                ? authority.substring(0, authority.lastIndexOf(':')) : authority;
        byte[] body = BlockingDispatch.body(exchange);
        Map<String, List<String>> headers = Headers.requestHeaders(exchange);
        Optional<List<Endpoint>> service = serviceEndpoints(host, port);
        InetSocketAddress target;
        boolean external = service.isEmpty();
        if (service.isPresent()) {
            List<Endpoint> endpoints = service.get();
            if (endpoints.isEmpty()) {
                LOG.info("{}: no endpoint of {} (connection refused)", namespace, authority);
                IoUtils.safeClose(exchange.getConnection());
                return;
            }
            target = endpoints.get(Math.floorMod(next.getAndIncrement(), endpoints.size())).inbound();
        } else {
            try {
                target = resolver.resolve(host, port);
            } catch (UnknownHostException | RuntimeException e) {
                Exchanges.text(exchange, 502, "cannot resolve " + host + ": " + e.getMessage());
                return;
            }
        }
        UpstreamClient.Outcome outcome = upstream.send(target, exchange.getRequestMethod().toString(), authority,
                Exchanges.pathAndQuery(exchange), headers, body, TIMEOUT, external);
        if (outcome.response() == null) {
            LOG.info("{}: connection to {} ({}) failed: {}", namespace, authority, target, outcome.error());
            IoUtils.safeClose(exchange.getConnection());
            return;
        }
        Exchanges.relay(exchange, outcome.response());
    }

    /** The endpoints of the Service {@code host} names, empty when it names none. */
    private Optional<List<Endpoint>> serviceEndpoints(String host, int port) {
        MeshSnapshot current = snapshot.get();
        if (current == null) {
            return Optional.empty();
        }
        String[] labels = host.split("\\.");
        String name = labels[0];
        String ns = labels.length > 1 ? labels[1] : namespace;
        String rest = labels.length > 2 ? host.substring(name.length() + ns.length() + 2) : "svc.cluster.local";
        if (!rest.equals("svc") && !rest.equals("svc.cluster.local")) {
            return Optional.empty();
        }
        boolean known = current.services().stream()
                .anyMatch(s -> s.namespace().equals(ns) && s.name().equals(name));
        if (!known) {
            return Optional.empty();
        }
        Optional<ResolvedDestination> resolved = current.resolve(name + "." + ns + ".svc.cluster.local", null, port);
        return Optional.of(resolved.map(registry::select).orElse(List.of()));
    }

    @Override
    public void close() {
        server.stop();
        upstream.close();
        executor.shutdownNow();
    }
}
