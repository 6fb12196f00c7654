package dev.meshpilot.proxy.tls;

import static dev.meshpilot.proxy.tls.Clients.body;
import static dev.meshpilot.proxy.tls.Clients.mutual;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.security.MtlsMode;
import dev.meshpilot.proxy.identity.CaSettings;
import dev.meshpilot.proxy.identity.RootRotation;
import dev.meshpilot.proxy.identity.SpiffeId;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import dev.meshpilot.proxy.route.UpstreamClient;
import dev.meshpilot.proxy.testing.Eventually;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A root rotation under mutual TLS: a kept-alive connection and new ones work before, during and after it. */
class RootRotationMutualTlsTest {

    private static final SpiffeId HELLO = SpiffeId.of("ns1", "hello");
    private static final SpiffeId WORLD = SpiffeId.of("ns2", "world");

    @TempDir
    Path dir;

    @Test
    void connectionsSurviveARootRotationAndNewHandshakesUseTheNewRoot() throws Exception {
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.openOrCreate(dir.resolve("ca"),
                CaSettings.defaults().withWorkloadTtl(Duration.ofSeconds(2)));
        try (ProxyIdentity world = ProxyIdentity.issue(ca, WORLD, Duration.ofSeconds(2));
                ProxyIdentity hello = ProxyIdentity.issue(ca, HELLO, Duration.ofSeconds(2));
                PeerEchoServer server = new PeerEchoServer(world, MtlsMode.STRICT);
                UpstreamClient kept = new UpstreamClient(Clients.EXECUTOR, hello)) {
            assertThat(body(mutual(kept, server.address(), WORLD))).isEqualTo("peer=" + HELLO);

            RootRotation rotation = ca.rotateRoot();

            X509Certificate newRoot = rotation.newRoot();
            world.rotator().current().leaf().verify(newRoot.getPublicKey());
            hello.rotator().current().leaf().verify(newRoot.getPublicKey());
            assertThat(world.trustBundle().roots()).containsExactly(rotation.previousRoot(), newRoot);
            assertThat(body(mutual(kept, server.address(), WORLD))).isEqualTo("peer=" + HELLO);
            assertThat(issuerOfServer(hello, server.address())).isEqualTo(newRoot.getSubjectX500Principal().getName());

            Eventually.within(Duration.ofSeconds(6), () -> assertThat(ca.rootRotation()).isEmpty());
            assertThat(world.trustBundle().roots()).containsExactly(newRoot);
            assertThat(body(mutual(kept, server.address(), WORLD))).isEqualTo("peer=" + HELLO);
            assertThat(issuerOfServer(hello, server.address())).isEqualTo(newRoot.getSubjectX500Principal().getName());
        }
    }

    /** The issuer of the server certificate a new connection sees. */
    private static String issuerOfServer(ProxyIdentity client, InetSocketAddress server) throws Exception {
        try (UpstreamClient newcomer = new UpstreamClient(Clients.EXECUTOR, client)) {
            UpstreamClient.Outcome outcome = mutual(newcomer, server, WORLD);
            assertThat(body(outcome)).isEqualTo("peer=" + HELLO);
            return ((X509Certificate) outcome.response().sslSession().orElseThrow().getPeerCertificates()[0])
                    .getIssuerX500Principal().getName();
        }
    }
}
