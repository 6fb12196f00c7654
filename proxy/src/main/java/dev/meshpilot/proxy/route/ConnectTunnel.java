package dev.meshpilot.proxy.route;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ExternalDestination;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RouteDecision;
import dev.meshpilot.policy.route.WeightedDestination;
import dev.meshpilot.proxy.egress.ClientHelloSni;
import dev.meshpilot.proxy.egress.HostResolver;
import dev.meshpilot.proxy.egress.OutboundPolicy;
import dev.meshpilot.proxy.internal.Authorities;
import dev.meshpilot.proxy.internal.Exchanges;
import dev.meshpilot.proxy.internal.Splice;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.StreamConnection;
import org.xnio.streams.ChannelInputStream;

/**
 * {@code CONNECT host:port} on a sidecar's outbound listener (a workload that uses its sidecar as HTTP proxy sends
 * its HTTPS calls this way): the outbound traffic policy decides first (blocked: 502 and a log line saying why);
 * then the tunnel opens, the ClientHello's SNI is read without terminating TLS, the snapshot routes the connection
 * ({@code tls} routes by {@code sniHosts}, else the CONNECT authority) and bytes are spliced to the resolved endpoint:
 * SNI passthrough, TLS stays end to end. One access-log line per tunnel, written when it closes.
 */
public final class ConnectTunnel {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectTunnel.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    /** How long the tunnel waits for a ClientHello before routing by the CONNECT authority alone. */
    private static final long HELLO_TIMEOUT_MILLIS = 2_000;

    private final ProxyRef self;
    private final ProxyConfig config;
    private final HostResolver resolver;
    private final RequestLog log;
    private final Executor executor;

    public ConnectTunnel(ProxyRef self, ProxyConfig config, HostResolver resolver, RequestLog log, Executor executor) {
        this.self = requireNonNull(self, "self");
        this.config = requireNonNull(config, "config");
        this.resolver = requireNonNull(resolver, "resolver");
        this.log = requireNonNull(log, "log");
        this.executor = requireNonNull(executor, "executor");
    }

    /** Answers the CONNECT request (on the I/O thread: nothing here blocks). */
    public void handle(HttpServerExchange exchange) {
        Tunnel t = new Tunnel(Instant.now(), System.nanoTime(), authority(exchange),
                exchange.getSourceAddress() == null ? null : exchange.getSourceAddress().toString());
        MeshSnapshot snapshot = config.snapshot();
        if (snapshot == null) {
            t.finish(log, 404, "NR", Exchanges.text(exchange, 404, "no route to " + t.authority));
            return;
        }
        OutboundPolicy.Verdict verdict = OutboundPolicy.decide(snapshot, self, t.host(), t.port());
        if (verdict.action() == OutboundPolicy.Action.BLOCK) {
            LOG.warn("{} CONNECT {}: 502 {}", RoutingHandler.serviceName(self), t.authority, verdict.reason());
            t.cluster = "BlackHoleCluster";
            t.route = "block_all";
            t.policy = verdict.reason();
            t.finish(log, 502, "NR", Exchanges.text(exchange, 502, verdict.reason()));
            return;
        }
        exchange.acceptConnectRequest((connection, ex) -> executor.execute(() -> splice(connection, snapshot, t)));
        exchange.setStatusCode(200);
        exchange.endExchange();
    }

    private void splice(StreamConnection client, MeshSnapshot snapshot, Tunnel t) {
        try (client) {
            byte[] hello = ClientHelloSni.readFirstRecord(new ChannelInputStream(client.getSourceChannel(),
                    HELLO_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
            String sni = ClientHelloSni.serverName(hello);
            InetSocketAddress target = target(snapshot, t, sni);
            if (target == null) {
                return;
            }
            try (Socket upstream = new Socket()) {
                upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
                t.upstreamHost = target.getHostString() + ":" + target.getPort();
                upstream.getOutputStream().write(hello);
                t.received.add(hello.length);
                Splice.both(client, upstream, executor, t.received, t.sent);
                t.finish(log, 200, "-", 0);
            } catch (IOException e) {
                LOG.info("{} CONNECT {}: upstream connect failure at {}: {}", RoutingHandler.serviceName(self),
                        t.authority, target, e.toString());
                t.finish(log, 200, "UF", 0);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("{} CONNECT {}: {}", RoutingHandler.serviceName(self), t.authority, e.toString());
            t.finish(log, 200, "DC", 0);
        }
    }

    /** Where the connection goes, or null after logging why it goes nowhere. */
    private @Nullable InetSocketAddress target(MeshSnapshot snapshot, Tunnel t, @Nullable String sni) {
        RouteDecision decision = snapshot.routeConnection(self, t.host(), t.port(), sni);
        String host;
        int port = t.port();
        if (decision.routed()) {
            WeightedDestination dest = WeightedPicker.pick(decision.destinations(),
                    bound -> ThreadLocalRandom.current().nextInt(bound));
            host = dest.host();
            port = dest.port() != null ? dest.port() : port;
            t.route = decision.virtualService() == null ? "default" : decision.virtualService();
            t.cluster = "outbound|" + port + "||" + host;
        } else {
            host = sni != null ? sni : t.host();
            OutboundPolicy.Verdict verdict = OutboundPolicy.decide(snapshot, self, host, port);
            if (verdict.action() == OutboundPolicy.Action.BLOCK) {
                LOG.warn("{} CONNECT {} (SNI {}): closed, {}", RoutingHandler.serviceName(self), t.authority, sni,
                        verdict.reason());
                t.cluster = "BlackHoleCluster";
                t.policy = verdict.reason();
                t.finish(log, 200, "NR", 0);
                return null;
            }
            t.route = "allow_any";
            t.cluster = "PassthroughCluster";
        }
        try {
            List<ExternalDestination.Target> targets = snapshot.resolveExternal(self.namespace(), host, null, port)
                    .map(ExternalDestination::targets).orElse(List.of());
            if (targets.isEmpty()) {
                return resolver.resolve(host, port);
            }
            ExternalDestination.Target pick = targets.get(ThreadLocalRandom.current().nextInt(targets.size()));
            return ExternalHosts.address(resolver, pick.address(), pick.port()); // a ServiceEntry endpoint
        } catch (IOException | RuntimeException e) {
            LOG.info("{} CONNECT {}: cannot resolve {}: {}", RoutingHandler.serviceName(self), t.authority, host, e);
            t.finish(log, 200, "UH", 0);
            return null;
        }
    }

    private static String authority(HttpServerExchange exchange) {
        String uri = exchange.getRequestURI();
        return uri != null && !uri.isEmpty() && !uri.startsWith("/") ? uri : Exchanges.authority(exchange);
    }

    /** The record of one tunnel; becomes its access-log line. */
    private static final class Tunnel {
        final Instant time;
        final long startNanos;
        final String authority;
        final @Nullable String remote;
        final LongAdder received = new LongAdder();
        final LongAdder sent = new LongAdder();
        @Nullable String cluster;
        @Nullable String route;
        @Nullable String upstreamHost;
        @Nullable String policy;

        Tunnel(Instant time, long startNanos, String authority, @Nullable String remote) {
            this.time = time;
            this.startNanos = startNanos;
            this.authority = authority;
            this.remote = remote;
        }

        String host() {
            return Authorities.hostOf(authority);
        }

        int port() {
            return Authorities.portOf(authority, 443);
        }

        void finish(RequestLog log, int status, String flags, long extraSent) {
            log.write(new RequestLog.Line(time, "CONNECT", authority, "", status, flags, received.sum(),
                    sent.sum() + extraSent, (System.nanoTime() - startNanos) / 1_000_000, upstreamHost, cluster, route,
                    "", null, null, remote, "source", policy));
        }
    }
}
