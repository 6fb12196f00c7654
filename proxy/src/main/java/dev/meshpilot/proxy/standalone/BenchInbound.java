package dev.meshpilot.proxy.standalone;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.proxy.egress.HostResolver;
import dev.meshpilot.proxy.endpoint.EndpointRegistry;
import dev.meshpilot.proxy.identity.SpiffeId;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import dev.meshpilot.proxy.route.Telemetry;
import dev.meshpilot.proxy.sidecar.Sidecar;
import dev.meshpilot.proxy.sidecar.SidecarSecurity;
import dev.meshpilot.proxy.tls.ProxyIdentity;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The second hop of the mTLS benchmark: the inbound side of a real {@link Sidecar} for workload {@code upstream} of
 * namespace {@code bench} (STRICT mutual TLS, see {@link StandaloneSidecar#snapshot(boolean)}), forwarding to the
 * upstream address in plaintext.
 */
final class BenchInbound implements AutoCloseable {

    private final Sidecar sidecar;

    BenchInbound(InetSocketAddress listen, InetSocketAddress workload, ProxyIdentity identity, Telemetry telemetry) {
        requireNonNull(listen, "listen");
        requireNonNull(workload, "workload");
        ProxyRef self = ProxyRef.sidecar(StandaloneSidecar.NAMESPACE, StandaloneSidecar.SERVICE,
                Map.of("app", StandaloneSidecar.SERVICE), StandaloneSidecar.SERVICE);
        this.sidecar = new Sidecar(listen.getHostString(), "upstream-bench0." + StandaloneSidecar.NAMESPACE, self,
                new EndpointRegistry(), 100, requireNonNull(telemetry, "telemetry"), HostResolver.SYSTEM, requireNonNull(identity, "identity"),
                8080, listen.getPort(), SidecarSecurity.DEFAULTS);
        sidecar.apply(StandaloneSidecar.snapshot(true));
        sidecar.attach(workload);
    }

    InetSocketAddress address() {
        return sidecar.inboundAddress();
    }

    @Override
    public void close() {
        sidecar.close();
    }

    /** The bench workloads' identities from the CA in a directory shared by both processes (24 h certificates). */
    record Identities(ProxyIdentity identity) implements AutoCloseable {

        /** {@code role} inbound: {@code bench/upstream}; outbound: {@code bench/client}. */
        static Identities open(Path caDir, String role) {
            WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.openOrCreate(caDir);
            String account = role.equals("inbound") ? StandaloneSidecar.SERVICE : "client";
            return new Identities(ProxyIdentity.issue(ca,
                    new SpiffeId(ca.trustDomain(), StandaloneSidecar.NAMESPACE, account), Duration.ofHours(24)));
        }

        @Override
        public void close() {
            identity.close();
        }
    }
}
