package dev.meshpilot.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The security battery's CA part: real TLS 1.3 handshakes between workload certificates on 127.0.0.1. */
class MutualTlsHandshakeTest {

    private static final SpiffeId HELLO = SpiffeId.of("default", "hello");
    private static final SpiffeId WORLD = SpiffeId.of("default", "world");

    @TempDir
    Path dir;

    private WorkloadCertificateAuthority ca;

    @BeforeEach
    void createCa() {
        ca = WorkloadCertificateAuthority.openOrCreate(dir.resolve("ca"), CaSettings.defaults());
    }

    @Test
    void mutualTlsSucceedsAndEachSideSeesThePeerSpiffeId() throws Exception {
        SSLContext server = ca.issue(WORLD).sslContext(ca.trustBundle(), PeerIdentityVerifier.anyOf(HELLO));
        SSLContext client = ca.issue(HELLO).sslContext(ca.trustBundle(), PeerIdentityVerifier.anyOf(WORLD));

        try (TlsPeers.Server listener = new TlsPeers.Server(server);
                TlsPeers.Client connection = new TlsPeers.Client(client, listener.port())) {
            assertThat(connection.exchange("ping")).isEqualTo("echo:ping");
            assertThat(connection.serverIdentity()).isEqualTo(WORLD);
            assertThat(listener.nextOutcome().peer()).isEqualTo(HELLO);
        }
    }

    @Test
    void rejectsClientCertificateOfAnotherCa() throws Exception {
        WorkloadCertificateAuthority other =
                WorkloadCertificateAuthority.openOrCreate(dir.resolve("other-ca"), CaSettings.defaults());
        SSLContext server = ca.issue(WORLD).sslContext(ca.trustBundle(), PeerIdentityVerifier.anyIdentity());
        // the intruder trusts our root, so only the server's check can stop it
        SSLContext intruder = other.issue(HELLO).sslContext(ca.trustBundle(), PeerIdentityVerifier.anyIdentity());

        try (TlsPeers.Server listener = new TlsPeers.Server(server)) {
            assertThat(TlsPeers.tryExchange(intruder, listener.port())).isInstanceOf(IOException.class);
            assertThat(listener.nextOutcome().failure())
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("peer chain");
        }
    }

    @Test
    void rejectsServerCertificateOfAnotherCa() throws Exception {
        WorkloadCertificateAuthority other =
                WorkloadCertificateAuthority.openOrCreate(dir.resolve("other-ca"), CaSettings.defaults());
        SSLContext impostor = other.issue(WORLD).sslContext(other.trustBundle(), PeerIdentityVerifier.anyIdentity());
        SSLContext client = ca.issue(HELLO).sslContext(ca.trustBundle(), PeerIdentityVerifier.anyOf(WORLD));

        try (TlsPeers.Server listener = new TlsPeers.Server(impostor)) {
            assertThatThrownBy(() -> new TlsPeers.Client(client, listener.port()).close())
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("peer chain");
        }
    }

    @Test
    void rejectsExpiredCertificate() throws Exception {
        Clock threeDaysAgo = Clock.offset(Clock.systemUTC(), Duration.ofDays(-3));
        WorkloadCertificateAuthority past = WorkloadCertificateAuthority.openOrCreate(dir.resolve("ca"),
                CaSettings.defaults().withClock(threeDaysAgo));
        WorkloadCertificate expired = past.issue(WORLD);
        assertThat(expired.isExpiredAt(Instant.now())).isTrue();
        SSLContext client = ca.issue(HELLO).sslContext(ca.trustBundle(), PeerIdentityVerifier.anyOf(WORLD));

        try (TlsPeers.Server listener = new TlsPeers.Server(
                expired.sslContext(ca.trustBundle(), PeerIdentityVerifier.anyIdentity()))) {
            assertThatThrownBy(() -> new TlsPeers.Client(client, listener.port()).close())
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("expired");
        }
    }

    @Test
    void peerIdentityVerifierRejectsValidCertificateOfWrongIdentity() throws Exception {
        SpiffeId stranger = SpiffeId.of("payments", "ledger");
        SSLContext server = ca.issue(stranger).sslContext(ca.trustBundle(), PeerIdentityVerifier.anyIdentity());
        SSLContext client = ca.issue(HELLO).sslContext(ca.trustBundle(), PeerIdentityVerifier.anyOf(WORLD));

        try (TlsPeers.Server listener = new TlsPeers.Server(server)) {
            assertThatThrownBy(() -> new TlsPeers.Client(client, listener.port()).close())
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("peer identity: spiffe://cluster.local/ns/payments/sa/ledger")
                    .hasMessageContaining("expected: spiffe://cluster.local/ns/default/sa/world");
        }
    }

    @Test
    void serverRejectsClientOfWrongIdentity() throws Exception {
        SSLContext server = ca.issue(WORLD).sslContext(ca.trustBundle(), PeerIdentityVerifier.anyOf(HELLO));
        SSLContext other = ca.issue(SpiffeId.of("default", "other"))
                .sslContext(ca.trustBundle(), PeerIdentityVerifier.anyIdentity());

        try (TlsPeers.Server listener = new TlsPeers.Server(server)) {
            assertThat(TlsPeers.tryExchange(other, listener.port())).isInstanceOf(IOException.class);
            assertThat(listener.nextOutcome().failure()).hasMessageContaining("peer identity");
        }
    }

    @Test
    void plaintextToTlsOnlyListenerFails() throws Exception {
        SSLContext server = ca.issue(WORLD).sslContext(ca.trustBundle(), PeerIdentityVerifier.anyIdentity());

        try (TlsPeers.Server listener = new TlsPeers.Server(server);
                Socket plain = new Socket(InetAddress.getLoopbackAddress(), listener.port())) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write("ping\nGET / HTTP/1.1\r\nHost: world\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            plain.getOutputStream().flush();
            String answer = readUntilClosed(plain.getInputStream());

            assertThat(answer).doesNotContain("echo:").doesNotStartWith("HTTP/");
            assertThat(listener.nextOutcome().failure()).isInstanceOf(SSLException.class);
        }
    }

    @Test
    void bothRootsValidateDuringRootRotation() throws Exception {
        WorkloadCertificateAuthority next =
                WorkloadCertificateAuthority.openOrCreate(dir.resolve("next-ca"), CaSettings.defaults());
        TrustBundle rotating = ca.trustBundle().withRoot(next.rootCertificate());
        assertThat(rotating.roots()).containsExactly(ca.rootCertificate(), next.rootCertificate());
        SSLContext server = ca.issue(WORLD).sslContext(rotating, PeerIdentityVerifier.anyIdentity());

        try (TlsPeers.Server listener = new TlsPeers.Server(server)) {
            for (WorkloadCertificateAuthority issuer : new WorkloadCertificateAuthority[] {ca, next}) {
                SSLContext client = issuer.issue(HELLO).sslContext(rotating, PeerIdentityVerifier.anyOf(WORLD));
                assertThat(TlsPeers.tryExchange(client, listener.port())).isEqualTo("echo:ping");
                assertThat(listener.nextOutcome().peer()).isEqualTo(HELLO);
            }
            WorkloadCertificateAuthority third =
                    WorkloadCertificateAuthority.openOrCreate(dir.resolve("third-ca"), CaSettings.defaults());
            SSLContext stranger = third.issue(HELLO).sslContext(rotating, PeerIdentityVerifier.anyIdentity());
            assertThat(TlsPeers.tryExchange(stranger, listener.port())).isInstanceOf(IOException.class);
            assertThat(listener.nextOutcome().failure()).isInstanceOf(SSLHandshakeException.class);
        }
        assertThat(rotating.withoutRoot(ca.rootCertificate()).roots()).containsExactly(next.rootCertificate());
        assertThatThrownBy(() -> new TrustBundle("cluster.local", java.util.List.of(ca.rootCertificate(),
                next.rootCertificate(), ca.issuingCertificate()))).hasMessage("roots: 3 (expected: 1..2)");
    }

    @Test
    void rejectsIdentityOfAnotherTrustDomainEvenFromTrustedRoot() throws Exception {
        WorkloadCertificateAuthority foreign = WorkloadCertificateAuthority.openOrCreate(dir.resolve("ca"),
                CaSettings.defaults().withTrustDomain("example.org"));
        SSLContext server = foreign.issue("default", "world")
                .sslContext(ca.trustBundle(), PeerIdentityVerifier.anyIdentity());
        SSLContext client = ca.issue(HELLO).sslContext(ca.trustBundle(), PeerIdentityVerifier.anyIdentity());

        try (TlsPeers.Server listener = new TlsPeers.Server(server)) {
            assertThatThrownBy(() -> new TlsPeers.Client(client, listener.port()).close())
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("expected: trust domain cluster.local");
        }
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                bytes.write(buffer, 0, n);
            }
        } catch (SocketException e) {
            // connection reset by the TLS listener: nothing was served
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
