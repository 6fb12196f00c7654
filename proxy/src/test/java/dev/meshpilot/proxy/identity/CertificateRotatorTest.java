package dev.meshpilot.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpilot.proxy.testing.Eventually;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateRotatorTest {

    private static final SpiffeId HELLO = SpiffeId.of("default", "hello");
    private static final SpiffeId WORLD = SpiffeId.of("default", "world");

    @TempDir
    Path dir;

    private WorkloadCertificateAuthority ca;

    @BeforeEach
    void createCa() {
        ca = WorkloadCertificateAuthority.openOrCreate(dir.resolve("ca"),
                CaSettings.defaults().withWorkloadTtl(Duration.ofSeconds(2)));
    }

    @Test
    void renewsAtHalfLifetimeKeepingEstablishedConnectionsWhileNewHandshakesGetTheNewCertificate()
            throws Exception {
        CopyOnWriteArrayList<Instant> rotatedAt = new CopyOnWriteArrayList<>();
        Instant started = Instant.now();
        try (CertificateRotator rotator = CertificateRotator.start(ca, WORLD);
                TlsPeers.Server listener = new TlsPeers.Server(
                        rotator.sslContext(ca.trustBundle(), PeerIdentityVerifier.anyOf(HELLO)))) {
            rotator.addListener(next -> rotatedAt.add(Instant.now()));

            try (TlsPeers.Client established = new TlsPeers.Client(helloContext(), listener.port())) {
                // on a loaded machine the first renewal may come before this handshake: follow what was served
                X509Certificate served = established.serverCertificate();
                assertThat(established.exchange("before")).isEqualTo("echo:before");

                Eventually.within(Duration.ofSeconds(5), () -> assertThat(rotatedAt).isNotEmpty());
                assertThat(Duration.between(started, rotatedAt.get(0))).isGreaterThan(Duration.ofMillis(800));
                Eventually.within(Duration.ofSeconds(5), () -> assertThat(rotator.current().serialNumber())
                        .isNotEqualTo(served.getSerialNumber()));

                try (TlsPeers.Client fresh = new TlsPeers.Client(helloContext(), listener.port())) {
                    assertThat(fresh.serverSerial()).isNotEqualTo(served.getSerialNumber());
                    assertThat(fresh.serverIdentity()).isEqualTo(WORLD);
                    assertThat(fresh.exchange("new")).isEqualTo("echo:new");
                }

                Eventually.within(Duration.ofSeconds(5),
                        () -> assertThat(Instant.now()).isAfter(served.getNotAfter().toInstant()));
                assertThat(established.exchange("after expiry of the served certificate"))
                        .isEqualTo("echo:after expiry of the served certificate");
                assertThat(established.serverSerial()).isEqualTo(served.getSerialNumber());
            }
        }
    }

    @Test
    void keyManagerResolvesAnAliasChosenBeforeTheSwapToTheMatchingChainAndKey() {
        try (CertificateRotator rotator = CertificateRotator.start(ca, WORLD)) {
            X509ExtendedKeyManager keyManager = rotator.keyManager();
            String before = keyManager.chooseServerAlias("EC", null, null);

            WorkloadCertificate next = rotator.rotateNow();
            String after = keyManager.chooseServerAlias("EC", null, null);

            X509Certificate[] oldChain = keyManager.getCertificateChain(before);
            assertThat(oldChain[0].getSerialNumber()).isNotEqualTo(next.serialNumber());
            assertThat(X509Builders.matches(oldChain[0], keyManager.getPrivateKey(before))).isTrue();
            assertThat(after).isNotEqualTo(before);
            assertThat(keyManager.getCertificateChain(after)[0]).isEqualTo(next.leaf());
            assertThat(keyManager.getPrivateKey(after)).isEqualTo(next.privateKey());
            assertThat(keyManager.chooseServerAlias("RSA", null, null)).isNull();
        }
    }

    @Test
    void retriesWhenTheIssuerFails() {
        AtomicInteger calls = new AtomicInteger();
        try (CertificateRotator rotator = CertificateRotator.start(() -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("CA unavailable");
            }
            return ca.issue(WORLD);
        }, 0.5, Clock.systemUTC())) {
            Eventually.within(Duration.ofSeconds(5), () -> assertThat(rotator.rotations()).isEqualTo(1));
            assertThat(calls.get()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void sessionsAreResumableForFiveMinutesOnly() {
        try (CertificateRotator rotator = CertificateRotator.start(ca, WORLD)) {
            SSLContext context = rotator.sslContext(ca.trustBundle(), PeerIdentityVerifier.anyIdentity());

            assertThat(context.getServerSessionContext().getSessionTimeout()).isEqualTo(300);
            assertThat(context.getClientSessionContext().getSessionTimeout()).isEqualTo(300);
            assertThat(context.getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void rejectsRenewFractionOutsideZeroToOne() {
        assertThatThrownBy(() -> CertificateRotator.start(ca, WORLD, 1.0))
                .hasMessage("renewAt: 1.0 (expected: 0 < renewAt < 1)");
    }

    /** A fresh client context per connection, so a new handshake is a full one (no session resumption). */
    private SSLContext helloContext() {
        return ca.issue(HELLO, Duration.ofMinutes(5)).sslContext(ca.trustBundle(), PeerIdentityVerifier.anyOf(WORLD));
    }
}
