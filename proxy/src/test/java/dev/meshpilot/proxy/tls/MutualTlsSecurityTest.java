package dev.meshpilot.proxy.tls;

import static dev.meshpilot.proxy.tls.Clients.body;
import static dev.meshpilot.proxy.tls.Clients.mutual;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpilot.policy.security.MtlsMode;
import dev.meshpilot.proxy.identity.CaSettings;
import dev.meshpilot.proxy.identity.CertificateRotator;
import dev.meshpilot.proxy.identity.SpiffeId;
import dev.meshpilot.proxy.identity.TrustBundle;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import dev.meshpilot.proxy.route.UpstreamClient;
import dev.meshpilot.proxy.testing.CapturedLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real TLS handshakes against the sidecar's inbound listener and from its upstream client. */
class MutualTlsSecurityTest {

    private static final SpiffeId HELLO = SpiffeId.of("ns1", "hello");
    private static final SpiffeId WORLD = SpiffeId.of("ns2", "world");

    @TempDir
    Path dir;

    private WorkloadCertificateAuthority ca;
    private ProxyIdentity world;
    private ProxyIdentity hello;
    private PeerEchoServer server;
    private UpstreamClient client;

    @BeforeEach
    void start() {
        ca = WorkloadCertificateAuthority.openOrCreate(dir.resolve("ca"), CaSettings.defaults());
        world = ProxyIdentity.issue(ca, WORLD, Duration.ofHours(1));
        hello = ProxyIdentity.issue(ca, HELLO, Duration.ofHours(1));
        server = new PeerEchoServer(world, MtlsMode.STRICT);
        client = new UpstreamClient(Clients.EXECUTOR, hello);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        hello.close();
        world.close();
    }

    @Test
    void strictServesMutualTlsWithTheVerifiedClientIdentity() throws Exception {
        assertThat(body(mutual(client, server.address(), WORLD))).isEqualTo("peer=" + HELLO);
    }

    @Test
    void strictRefusesAndLogsAPlaintextConnection() {
        try (CapturedLog log = CapturedLog.start()) {
            assertThatThrownBy(() -> Clients.plaintext(server.address())).isInstanceOf(IOException.class);
            assertThat(log.text()).contains("world-test1: refused a plaintext connection from /127.0.0.1:",
                    "mTLS mode STRICT");
        }
        assertThat(server.listener.refusedPlaintext()).isPositive(); // the JDK client retries a refused GET once
    }

    @Test
    void refusesAClientCertificateOfAnotherCa() throws Exception {
        WorkloadCertificateAuthority other = WorkloadCertificateAuthority.openOrCreate(dir.resolve("other"),
                CaSettings.defaults());
        // the stranger trusts our root (it can verify the server) but proves itself with the other CA's certificate
        CertificateRotator strangerCert = CertificateRotator.start(other, HELLO);
        try (UpstreamClient stranger = new UpstreamClient(Clients.EXECUTOR,
                new ProxyIdentity(strangerCert, ca::trustBundle));
                CapturedLog log = CapturedLog.start()) {
            UpstreamClient.Outcome outcome = mutual(stranger, server.address(), WORLD);

            assertThat(outcome.response()).isNull();
            assertThat(outcome.failure()).isEqualTo(UpstreamClient.Failure.RESET);
            assertThat(log.text()).contains(WORLD + ": refused the client certificate of 127.0.0.1:",
                    "peer chain of serial");
        } finally {
            strangerCert.close();
        }
        assertThat(body(mutual(client, server.address(), WORLD))).isEqualTo("peer=" + HELLO);
    }

    @Test
    void refusesAnExpiredClientCertificate() throws Exception {
        Clock lastWeek = Clock.fixed(Instant.now().minus(Duration.ofDays(7)), ZoneOffset.UTC);
        WorkloadCertificateAuthority sameCaLastWeek = WorkloadCertificateAuthority.openOrCreate(dir.resolve("ca"),
                CaSettings.defaults().withClock(lastWeek));
        CertificateRotator expired = CertificateRotator.start(() -> sameCaLastWeek.issue(HELLO, Duration.ofHours(1)),
                0.99, Clock.systemUTC());
        assertThat(expired.current().isExpiredAt(Instant.now())).isTrue();
        try (UpstreamClient old = new UpstreamClient(Clients.EXECUTOR, new ProxyIdentity(expired, ca::trustBundle));
                CapturedLog log = CapturedLog.start()) {
            UpstreamClient.Outcome outcome = mutual(old, server.address(), WORLD);

            assertThat(outcome.response()).isNull();
            assertThat(outcome.failure()).isEqualTo(UpstreamClient.Failure.RESET);
            assertThat(log.text()).contains(WORLD + ": refused the client certificate of 127.0.0.1:",
                    "validity check failed");
        } finally {
            expired.close();
        }
    }

    @Test
    void clientRefusesAServerThatProvesAnotherIdentityOfTheMesh() throws Exception {
        SpiffeId attacker = SpiffeId.of("ns2", "attacker");
        try (ProxyIdentity impostor = ProxyIdentity.issue(ca, attacker, Duration.ofHours(1));
                PeerEchoServer fake = new PeerEchoServer(impostor, MtlsMode.STRICT)) {
            UpstreamClient.Outcome outcome = mutual(client, fake.address(), WORLD);

            assertThat(outcome.response()).isNull();
            assertThat(outcome.error()).contains("peer identity: " + attacker, "expected: " + WORLD);
            assertThat(body(mutual(client, fake.address(), attacker))).isEqualTo("peer=" + HELLO);
        }
    }

    @Test
    void permissiveServesMutualTlsAndPlaintextOnTheSamePort() throws Exception {
        server.mode.set(MtlsMode.PERMISSIVE);

        assertThat(Clients.plaintext(server.address()).body()).isEqualTo("plaintext");
        assertThat(body(mutual(client, server.address(), WORLD))).isEqualTo("peer=" + HELLO);
        assertThat(Clients.plaintext(server.address()).body()).isEqualTo("plaintext");
    }

    @Test
    void disableServesPlaintextOnlyAndTheModeIsReadPerConnection() throws Exception {
        server.mode.set(MtlsMode.DISABLE);

        assertThat(Clients.plaintext(server.address()).body()).isEqualTo("plaintext");
        assertThat(mutual(client, server.address(), WORLD).response()).isNull();
        assertThat(server.listener.refusedTls()).isPositive();

        server.mode.set(MtlsMode.STRICT);
        assertThatThrownBy(() -> Clients.plaintext(server.address())).isInstanceOf(IOException.class);
    }

    @Test
    void aTrustBundleWithTwoRootsAcceptsCertificatesOfBothDuringARootRotation() throws Exception {
        WorkloadCertificateAuthority next = WorkloadCertificateAuthority.openOrCreate(dir.resolve("next"),
                CaSettings.defaults());
        WorkloadCertificateAuthority unrelated = WorkloadCertificateAuthority.openOrCreate(dir.resolve("unrelated"),
                CaSettings.defaults());
        TrustBundle both = ca.trustBundle().withRoot(next.rootCertificate());
        CertificateRotator oldRootServer = CertificateRotator.start(ca, WORLD);
        CertificateRotator newRootClient = CertificateRotator.start(next, HELLO);
        CertificateRotator strangerCert = CertificateRotator.start(unrelated, HELLO);
        try (PeerEchoServer rotating = new PeerEchoServer(new ProxyIdentity(oldRootServer, () -> both),
                MtlsMode.STRICT);
                UpstreamClient newClient = new UpstreamClient(Clients.EXECUTOR,
                        new ProxyIdentity(newRootClient, () -> both));
                UpstreamClient stranger = new UpstreamClient(Clients.EXECUTOR,
                        new ProxyIdentity(strangerCert, () -> both))) {
            assertThat(body(mutual(client, rotating.address(), WORLD))).isEqualTo("peer=" + HELLO);
            assertThat(body(mutual(newClient, rotating.address(), WORLD))).isEqualTo("peer=" + HELLO);
            assertThat(mutual(stranger, rotating.address(), WORLD).response()).isNull();
        } finally {
            oldRootServer.close();
            newRootClient.close();
            strangerCert.close();
        }
    }
}
