package dev.meshpilot.proxy.sidecar;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.workload.WorkloadSpec;
import dev.meshpilot.proxy.authz.InboundPolicy;
import dev.meshpilot.proxy.echo.EchoEnvironment;
import dev.meshpilot.proxy.echo.HttpEcho;
import dev.meshpilot.proxy.identity.PeerPrincipal;
import dev.meshpilot.proxy.internal.Servers;
import dev.meshpilot.proxy.jwt.JwksFetcher;
import dev.meshpilot.proxy.jwt.JwtAuthenticator;
import dev.meshpilot.proxy.route.ProxyConfig;
import dev.meshpilot.proxy.route.RequestLog;
import dev.meshpilot.proxy.route.Telemetry;
import dev.meshpilot.proxy.route.UpstreamClient;
import dev.meshpilot.proxy.testing.Eventually;
import dev.meshpilot.proxy.testing.RawHttp;
import io.undertow.Undertow;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The inbound listener of one tutorial workload (its http-echo behind it) with the peer identity attached as the
 * mTLS listener will attach it: the test sets the {@link PeerPrincipal} in-process, no header can.
 */
final class PeerAttachedInbound implements AutoCloseable {

    private final AtomicReference<PeerPrincipal> peer = new AtomicReference<>(PeerPrincipal.PLAINTEXT);
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final UpstreamClient upstream = new UpstreamClient(executor);
    private final HttpClient jwksClient = HttpClient.newHttpClient();
    private final RequestLog log;
    private final HttpEcho echo;
    private final Undertow server;

    /** The sidecar of {@code deployment} (namespace default) as {@code snapshot} describes it. */
    PeerAttachedInbound(MeshSnapshot snapshot, String deployment, @Nullable String operatorToken) {
        WorkloadSpec spec = snapshot.workloads().stream().filter(w -> w.name().equals(deployment)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("deployment: " + deployment + " (not in the snapshot)"));
        ProxyRef self = ProxyRef.sidecar(spec.namespace(), spec.name(), spec.labels(), spec.serviceAccount());
        ProxyConfig config = new ProxyConfig();
        config.apply(requireNonNull(snapshot, "snapshot"));
        this.log = new RequestLog(deployment + "-test", 100, Telemetry.none());
        // the workload answers its TEXT; the chain's next hop (NEXT) is the fleet test's business
        this.echo = new HttpEcho("127.0.0.1", EchoEnvironment.resolve(spec.env().stream()
                        .filter(e -> !e.name().equals("NEXT")).toList(),
                new EchoEnvironment.PodInfo(deployment + "-test", spec.namespace(), spec.serviceAccount())), null);
        InboundPolicy policy = new InboundPolicy(self, config::snapshot,
                new JwtAuthenticator(JwksFetcher.http(jwksClient)), operatorToken);
        InboundHandler inbound = new InboundHandler(self, echo::address, upstream, log, executor, policy);
        this.server = Servers.start("127.0.0.1", List.of(new Servers.Listener(0, exchange -> {
            exchange.putAttachment(PeerPrincipal.KEY, peer.get());
            inbound.handleRequest(exchange);
        })));
    }

    /** The peer every following request comes from. */
    PeerAttachedInbound from(PeerPrincipal principal) {
        peer.set(requireNonNull(principal, "principal"));
        return this;
    }

    RawHttp.Response get(String host, String... headers) {
        return RawHttp.get(Servers.address(server, 0), host, "/", headers);
    }

    RawHttp.Response send(String request) {
        return RawHttp.send(Servers.address(server, 0), request);
    }

    /** The access-log line of the {@code n}-th request (1-based), waiting for the sidecar to write it. */
    String line(int n) {
        Eventually.within(Duration.ofSeconds(5), () -> {
            if (log.buffer().nextSequence() < n) {
                throw new AssertionError("the sidecar logged " + log.buffer().nextSequence() + " of " + n + " requests");
            }
        });
        return log.buffer().last(100).get(n - 1);
    }

    @Override
    public void close() {
        server.stop();
        echo.close();
        upstream.close();
        jwksClient.close();
        executor.shutdownNow();
    }
}
