package dev.meshpilot.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Istio's "plug in CA certificates": the four files, checked at startup, the intermediate signing workloads. */
class PluggedCaTest {

    @TempDir
    Path tmp;

    @Test
    void workloadsCarryTheLeafAndTheChainAndTrustTheUsersRoot() throws Exception {
        UserCa user = UserCa.create();
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.plugIn(
                CaCerts.read(user.write(tmp.resolve("cacerts"))), CaSettings.defaults());

        WorkloadCertificate world = ca.issue("default", "world");

        assertThat(world.chain()).hasSize(2);
        assertThat(world.chain().get(1)).isEqualTo(user.intermediate());
        world.leaf().verify(user.intermediate().getPublicKey());
        assertThat(ca.trustBundle().roots()).containsExactly(user.root());
        assertThat(ca.rootRotatable()).isFalse();
        SSLContext server = world.sslContext(ca.trustBundle(), PeerIdentityVerifier.anyIdentity());
        SSLContext client = ca.issue("default", "hello")
                .sslContext(ca.trustBundle(), PeerIdentityVerifier.anyOf(SpiffeId.of("default", "world")));
        try (TlsPeers.Server listener = new TlsPeers.Server(server);
                TlsPeers.Client connection = new TlsPeers.Client(client, listener.port())) {
            assertThat(connection.exchange("ping")).isEqualTo("echo:ping");
            assertThat(listener.nextOutcome().peer()).isEqualTo(SpiffeId.of("default", "hello"));
        }
    }

    @Test
    void aCaKeyEncryptedWithThePasswordIsRead() throws Exception {
        UserCa user = UserCa.create();
        Path dir = user.write(tmp.resolve("cacerts"));
        String password = "plugged-ca-password";
        Files.writeString(dir.resolve(CaCerts.CA_KEY),
                Pem.encryptedPrivateKey(user.intermediateKeys().getPrivate(), password.toCharArray()));

        assertThatThrownBy(() -> WorkloadCertificateAuthority.plugIn(CaCerts.read(dir), CaSettings.defaults()))
                .hasMessageContaining("ca-key.pem: encrypted key").hasMessageContaining("MESHPILOT_CA_KEY_PASSWORD");
        assertThat(WorkloadCertificateAuthority.plugIn(CaCerts.read(dir), CaSettings.defaults()
                .withKeyPassword(password)).issuingCertificate()).isEqualTo(user.intermediate());
    }

    @Test
    void fromPemTakesTheChainFilesFirstCertificateAsIssuerAndItsLastAsTrustAnchor() throws Exception {
        UserCa user = UserCa.create();
        Path chain = Files.writeString(tmp.resolve("ca-chain.pem"),
                Pem.certificates(List.of(user.intermediate(), user.root())));
        char[] password = "user-ca-secret-42".toCharArray();
        Path key = Files.writeString(tmp.resolve("ca-key.pem"),
                Pem.encryptedPrivateKey(user.intermediateKeys().getPrivate(), password));

        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.fromPem(chain, key, password,
                CaSettings.defaults());

        assertThat(ca.issuingCertificate()).isEqualTo(user.intermediate());
        assertThat(ca.rootCertificate()).isEqualTo(user.root());
        assertThat(ca.issue("default", "world").chain()).hasSize(2).last().isEqualTo(user.intermediate());
    }

    @Test
    void refusesAKeyOfAnotherCertificateNamingTheFile() throws Exception {
        Path dir = UserCa.create().write(tmp.resolve("cacerts"));
        Files.writeString(dir.resolve(CaCerts.CA_KEY), Pem.privateKey(X509Builders.newEcKeyPair().getPrivate()));

        assertThatThrownBy(() -> plugIn(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir + ": ca-key.pem: not the key of ca-cert.pem")
                .hasMessageContaining("CN=Meshpilot Intermediate");
    }

    @Test
    void refusesAnIntermediateThatIsNotACa() throws Exception {
        UserCa user = UserCa.create();
        Path dir = user.write(tmp.resolve("cacerts"));
        KeyPair leafKeys = X509Builders.newEcKeyPair();
        X509Certificate leaf = X509Builders.workload(user.root(), user.rootKeys().getPrivate(), leafKeys.getPublic(),
                SpiffeId.of("default", "not-a-ca"), Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600));
        Files.writeString(dir.resolve(CaCerts.CA_CERT), Pem.certificates(List.of(leaf)));
        Files.writeString(dir.resolve(CaCerts.CA_KEY), Pem.privateKey(leafKeys.getPrivate()));

        assertThatThrownBy(() -> plugIn(dir)).hasMessageContaining("ca-cert.pem: ")
                .hasMessageContaining("is not a CA (expected: basicConstraints CA:true)");
    }

    @Test
    void refusesAnIntermediateNotSignedByTheRoot() throws Exception {
        Path dir = UserCa.create().write(tmp.resolve("cacerts"));
        UserCa other = UserCa.create();
        Files.writeString(dir.resolve(CaCerts.ROOT_CERT), Pem.certificates(List.of(other.root())));

        assertThatThrownBy(() -> plugIn(dir))
                .hasMessageContaining("cert-chain.pem: O=Example Corp,CN=Meshpilot Intermediate is not signed by the "
                        + "chain of root-cert.pem");
    }

    @Test
    void refusesACertChainThatDoesNotStartWithTheIntermediate() throws Exception {
        UserCa user = UserCa.create();
        Path dir = user.write(tmp.resolve("cacerts"));
        Files.writeString(dir.resolve(CaCerts.CERT_CHAIN), Pem.certificates(List.of(user.root())));

        assertThatThrownBy(() -> plugIn(dir)).hasMessageContaining("cert-chain.pem: starts with")
                .hasMessageContaining("(expected: ca-cert.pem O=Example Corp,CN=Meshpilot Intermediate first)");
    }

    @Test
    void refusesAnExpiredIntermediate() throws Exception {
        Instant expired = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Path dir = UserCa.create(expired).write(tmp.resolve("cacerts"));

        assertThatThrownBy(() -> plugIn(dir)).hasMessageContaining("ca-cert.pem: O=Example Corp,CN=Meshpilot "
                + "Intermediate expired at " + expired);
    }

    @Test
    void refusesAMissingFileAndADirectoryInsideAGitRepository() throws Exception {
        Path dir = UserCa.create().write(tmp.resolve("cacerts"));
        Files.delete(dir.resolve(CaCerts.CERT_CHAIN));
        assertThatThrownBy(() -> CaCerts.read(dir)).hasMessageContaining(dir.resolve("cert-chain.pem") + ": missing");

        Path repo = tmp.resolve("mesh");
        Files.createDirectories(repo.resolve(".git"));
        Path inside = UserCa.create().write(repo.resolve("cacerts"));
        assertThatThrownBy(() -> CaCerts.read(inside)).hasMessageContaining("is inside the git repository " + repo);
    }

    @Test
    void rotatingThePluggedInRootIsRefusedWithTheReason() throws Exception {
        Path dir = UserCa.create().write(tmp.resolve("cacerts"));

        assertThatThrownBy(() -> plugIn(dir).rotateRoot()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("plugged-in CA " + dir)
                .hasMessageContaining("rotate it by replacing ca-cert.pem");
    }

    private static WorkloadCertificateAuthority plugIn(Path dir) {
        return WorkloadCertificateAuthority.plugIn(CaCerts.read(dir), CaSettings.defaults());
    }
}
