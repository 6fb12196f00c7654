package dev.meshpilot.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadCertificateTest {

    @TempDir
    Path dir;

    @Test
    void keyStoreHoldsTheKeyAndChainAndWorksWithTheJdkKeyManager() throws Exception {
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.openOrCreate(dir.resolve("ca"),
                CaSettings.defaults());
        WorkloadCertificate world = ca.issue("default", "world");
        char[] password = "store-pass".toCharArray();

        KeyStore store = world.keyStore(password);
        assertThat(store.getKey(WorkloadCertificate.ALIAS, password)).isEqualTo(world.privateKey());
        assertThat(store.getCertificateChain(WorkloadCertificate.ALIAS)).containsExactly(world.leaf());

        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        SSLContext server = SSLContext.getInstance("TLSv1.3");
        server.init(factory.getKeyManagers(), new TrustManager[] {ca.trustBundle().trustManager()}, null);
        SSLContext client = ca.issue("default", "hello")
                .sslContext(ca.trustBundle(), PeerIdentityVerifier.anyOf(SpiffeId.of("default", "world")));
        try (TlsPeers.Server listener = new TlsPeers.Server(server);
                TlsPeers.Client connection = new TlsPeers.Client(client, listener.port())) {
            assertThat(connection.serverIdentity()).isEqualTo(SpiffeId.of("default", "world"));
            assertThat(connection.exchange("ping")).isEqualTo("echo:ping");
        }
    }

    @Test
    void refusesAnEmptyChain() {
        WorkloadCertificate any = WorkloadCertificateAuthority.openOrCreate(dir.resolve("ca"), CaSettings.defaults())
                .issue("default", "world");

        assertThatThrownBy(() -> new WorkloadCertificate(List.of(), any.privateKey(), any.notAfter(), any.spiffeId()))
                .hasMessage("chain: empty (expected: the leaf certificate first)");
        assertThat(any.toString()).startsWith("WorkloadCertificate[spiffe://cluster.local/ns/default/sa/world, serial ");
        assertThat(any.keyManager().chooseServerAlias("EC", null, null)).startsWith("workload-");
    }
}
