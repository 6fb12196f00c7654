package dev.meshpilot.proxy.tls;

import static dev.meshpilot.proxy.tls.Clients.body;
import static dev.meshpilot.proxy.tls.Clients.mutual;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.security.MtlsMode;
import dev.meshpilot.proxy.identity.CaSettings;
import dev.meshpilot.proxy.identity.SpiffeId;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import dev.meshpilot.proxy.route.UpstreamClient;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workload certificates of 2 s, renewed every second, on both ends of a mutual TLS client and server. */
class CertificateRotationTest {

    private static final SpiffeId HELLO = SpiffeId.of("ns1", "hello");
    private static final SpiffeId WORLD = SpiffeId.of("ns2", "world");
    private static final Duration TTL = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @Test
    void keepAliveAndNewConnectionsKeepWorkingAcrossRotations() throws Exception {
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.openOrCreate(dir.resolve("ca"),
                CaSettings.defaults());
        try (ProxyIdentity world = ProxyIdentity.issue(ca, WORLD, TTL);
                ProxyIdentity hello = ProxyIdentity.issue(ca, HELLO, TTL);
                PeerEchoServer server = new PeerEchoServer(world, MtlsMode.STRICT);
                UpstreamClient looping = new UpstreamClient(Clients.EXECUTOR, hello)) {
            X509Certificate first = world.rotator().current().leaf();
            long deadline = System.nanoTime() + Duration.ofMillis(4_500).toNanos();
            int requests = 0;
            int fresh = 0;
            while (System.nanoTime() < deadline) {
                assertThat(body(mutual(looping, server.address(), WORLD))).isEqualTo("peer=" + HELLO);
                requests++;
                if (requests % 50 == 0) {
                    try (UpstreamClient newcomer = new UpstreamClient(Clients.EXECUTOR, hello)) {
                        UpstreamClient.Outcome outcome = mutual(newcomer, server.address(), WORLD);
                        assertThat(body(outcome)).isEqualTo("peer=" + HELLO);
                        fresh++;
                    }
                }
                Thread.sleep(5);
            }

            assertThat(world.rotator().rotations()).isGreaterThanOrEqualTo(2);
            assertThat(hello.rotator().rotations()).isGreaterThanOrEqualTo(2);
            assertThat(fresh).isPositive();
            try (UpstreamClient last = new UpstreamClient(Clients.EXECUTOR, hello)) {
                UpstreamClient.Outcome outcome = mutual(last, server.address(), WORLD);
                assertThat(body(outcome)).isEqualTo("peer=" + HELLO);
                X509Certificate seen = (X509Certificate) outcome.response().sslSession().orElseThrow()
                        .getPeerCertificates()[0];
                assertThat(SpiffeId.fromCertificate(seen)).contains(WORLD);
                assertThat(seen.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
            }
        }
    }
}
