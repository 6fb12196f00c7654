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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issuing from an intermediate signed by the user's own CA (the "plug in your CA" mode). */
class UserCertificateAuthorityTest {

    @TempDir
    Path tmp;

    private X509Certificate userRoot;
    private X509Certificate intermediate;
    private KeyPair intermediateKeys;

    @BeforeEach
    void createUserCa() throws Exception {
        Instant now = Instant.now();
        KeyPair rootKeys = X509Builders.newEcKeyPair();
        userRoot = X509Builders.selfSignedCa(rootKeys, "CN=Example Corp Root, O=Example Corp", now.minusSeconds(60),
                now.plus(365, ChronoUnit.DAYS), 1);
        intermediateKeys = X509Builders.newEcKeyPair();
        intermediate = X509Builders.signedCa(userRoot, rootKeys.getPrivate(), intermediateKeys.getPublic(),
                "CN=Meshpilot Intermediate, O=Example Corp", now.minusSeconds(60), now.plus(90, ChronoUnit.DAYS), 0);
        Files.writeString(tmp.resolve("ca-chain.pem"), Pem.certificates(List.of(intermediate, userRoot)));
        Files.writeString(tmp.resolve("ca-key.pem"), Pem.privateKey(intermediateKeys.getPrivate()));
    }

    @Test
    void issuesFromTheIntermediateAndTheChainIncludesIt() throws Exception {
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.fromPem(tmp.resolve("ca-chain.pem"),
                tmp.resolve("ca-key.pem"), null, CaSettings.defaults());

        WorkloadCertificate world = ca.issue("default", "world");

        assertThat(world.chain()).hasSize(2);
        assertThat(world.chain().get(1)).isEqualTo(intermediate);
        assertThat(world.leaf().getIssuerX500Principal()).isEqualTo(intermediate.getSubjectX500Principal());
        assertThat(ca.rootCertificate()).isEqualTo(userRoot);
        assertThat(ca.trustBundle().roots()).containsExactly(userRoot);

        SSLContext server = world.sslContext(ca.trustBundle(), PeerIdentityVerifier.anyIdentity());
        SSLContext client = ca.issue("default", "hello")
                .sslContext(ca.trustBundle(), PeerIdentityVerifier.anyOf(SpiffeId.of("default", "world")));
        try (TlsPeers.Server listener = new TlsPeers.Server(server);
                TlsPeers.Client connection = new TlsPeers.Client(client, listener.port())) {
            assertThat(connection.exchange("ping")).isEqualTo("echo:ping");
            assertThat(connection.serverIdentity()).isEqualTo(SpiffeId.of("default", "world"));
            assertThat(listener.nextOutcome().peer()).isEqualTo(SpiffeId.of("default", "hello"));
        }
    }

    @Test
    void readsAnEncryptedIntermediateKey() throws Exception {
        char[] password = "user-ca-secret-42".toCharArray();
        Files.writeString(tmp.resolve("ca-key.pem"), Pem.encryptedPrivateKey(intermediateKeys.getPrivate(), password));

        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.fromPem(tmp.resolve("ca-chain.pem"),
                tmp.resolve("ca-key.pem"), password, CaSettings.defaults());

        assertThat(ca.issuingCertificate()).isEqualTo(intermediate);
    }

    @Test
    void refusesAKeyThatDoesNotBelongToTheCaCertificate() throws Exception {
        Files.writeString(tmp.resolve("ca-key.pem"), Pem.privateKey(X509Builders.newEcKeyPair().getPrivate()));

        assertThatThrownBy(() -> WorkloadCertificateAuthority.fromPem(tmp.resolve("ca-chain.pem"),
                tmp.resolve("ca-key.pem"), null, CaSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ca-key.pem: not the key of ca-cert.pem").hasMessageContaining("CN=Meshpilot Intermediate");
    }
}
