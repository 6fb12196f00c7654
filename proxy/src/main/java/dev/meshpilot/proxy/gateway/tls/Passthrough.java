package dev.meshpilot.proxy.gateway.tls;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ExternalDestination;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.ResolvedDestination;
import dev.meshpilot.policy.route.RouteDecision;
import dev.meshpilot.policy.route.WeightedDestination;
import dev.meshpilot.proxy.egress.HostResolver;
import dev.meshpilot.proxy.endpoint.Endpoint;
import dev.meshpilot.proxy.endpoint.EndpointRegistry;
import dev.meshpilot.proxy.internal.Splice;
import dev.meshpilot.proxy.route.RequestLog;
import dev.meshpilot.proxy.route.WeightedPicker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.StreamConnection;

/**
 * A PASSTHROUGH server's connection: routed by the VirtualService {@code tls} rules bound to the gateway (by
 * {@code sniHosts}), then the ClientHello and every byte after it are copied to the destination unchanged, so the
 * client completes TLS with the destination itself. A ServiceEntry host goes to its endpoints (or is resolved), a
 * mesh Service to one of its workload endpoints.
 */
public final class Passthrough {

    private static final Logger LOG = LoggerFactory.getLogger(Passthrough.class);
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9a-fA-F:]+]?");
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final ProxyRef GATEWAY = ProxyRef.ingressGateway();

    private final Supplier<@Nullable MeshSnapshot> snapshot;
    private final EndpointRegistry registry;
    private final HostResolver resolver;
    private final RequestLog log;

    /** @param log where one access-log line per connection goes (method {@code TLS}, authority the SNI, status 0) */
    public Passthrough(Supplier<@Nullable MeshSnapshot> snapshot, EndpointRegistry registry, HostResolver resolver,
            RequestLog log) {
        this.snapshot = requireNonNull(snapshot, "snapshot");
        this.registry = requireNonNull(registry, "registry");
        this.resolver = requireNonNull(resolver, "resolver");
        this.log = requireNonNull(log, "log");
    }

    /** Where a connection goes and how it ended, for its access-log line. */
    private static final class Connection {
        final Instant time = Instant.now();
        final long startNanos = System.nanoTime();
        final LongAdder received = new LongAdder();
        final LongAdder sent = new LongAdder();
        String flags = "-";
        @Nullable String cluster;
        @Nullable String route;
        @Nullable String upstreamHost;
    }

    /** Blocking: call on a thread of its own. Closes {@code client} when either side is done. */
    void relay(StreamConnection client, byte[] hello, String sni, int port) {
        Connection c = new Connection();
        String remote = String.valueOf(client.getPeerAddress());
        try (client) {
            InetSocketAddress target = target(sni, port, c);
            if (target == null) {
                return;
            }
            c.upstreamHost = target.getHostString() + ":" + target.getPort();
            try (Socket upstream = new Socket()) {
                upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
                upstream.getOutputStream().write(hello);
                c.received.add(hello.length);
                Splice.both(client, upstream, task -> Thread.ofVirtual().start(task), c.received, c.sent);
            } catch (IOException e) {
                c.flags = "UF";
                LOG.info("istio-ingressgateway: PASSTHROUGH {}: upstream connect failure at {}: {}", sni, target,
                        e.toString());
            }
        } catch (IOException e) {
            LOG.debug("istio-ingressgateway: PASSTHROUGH {}: {}", sni, e.toString());
        } finally {
            log.write(new RequestLog.Line(c.time, "TLS", sni, "", 0, c.flags, c.received.sum(), c.sent.sum(),
                    (System.nanoTime() - c.startNanos) / 1_000_000, c.upstreamHost, c.cluster, c.route, "", null,
                    null, remote, "gateway"));
        }
    }

    private @Nullable InetSocketAddress target(String sni, int port, Connection c) {
        MeshSnapshot now = snapshot.get();
        RouteDecision decision = now == null ? RouteDecision.none() : now.routeConnection(GATEWAY, sni, port, sni);
        if (now == null || !decision.routed()) {
            c.flags = "NR";
            LOG.warn("istio-ingressgateway: PASSTHROUGH connection for SNI {} closed: no tls route "
                    + "(expected: a VirtualService bound to the Gateway with tls.match.sniHosts)", sni);
            return null;
        }
        WeightedDestination dest = WeightedPicker.pick(decision.destinations(),
                bound -> ThreadLocalRandom.current().nextInt(bound));
        int destPort = dest.port() != null ? dest.port() : port;
        c.route = decision.virtualService() == null ? "default" : decision.virtualService();
        c.cluster = "outbound|" + destPort + "|" + (dest.subset() == null ? "" : dest.subset()) + "|" + dest.host();
        c.flags = "UH";
        try {
            List<ExternalDestination.Target> targets = now.resolveExternal(GATEWAY.namespace(), dest.host(),
                    dest.subset(), destPort).map(ExternalDestination::targets).orElse(List.of());
            if (!targets.isEmpty()) {
                ExternalDestination.Target t = targets.get(ThreadLocalRandom.current().nextInt(targets.size()));
                c.flags = "-";
                return IP_LITERAL.matcher(t.address()).matches()
                        ? new InetSocketAddress(InetAddress.getByName(t.address()), t.port())
                        : resolver.resolve(t.address(), t.port());
            }
            ResolvedDestination resolved = now.resolve(GATEWAY.namespace(), dest.host(), dest.subset(), destPort)
                    .orElse(null);
            if (resolved != null) {
                List<Endpoint> endpoints = registry.select(resolved);
                if (endpoints.isEmpty()) {
                    LOG.warn("istio-ingressgateway: PASSTHROUGH {}: no healthy upstream for {}", sni, dest.host());
                    return null;
                }
                c.flags = "-";
                return endpoints.get(ThreadLocalRandom.current().nextInt(endpoints.size())).inbound();
            }
            InetSocketAddress address = resolver.resolve(dest.host(), destPort);
            c.flags = "-";
            return address.isUnresolved() ? new InetSocketAddress(address.getHostString(), address.getPort())
                    : address;
        } catch (IOException | RuntimeException e) {
            LOG.warn("istio-ingressgateway: PASSTHROUGH {}: cannot resolve {}: {}", sni, dest.host(), e.toString());
            return null;
        }
    }
}
