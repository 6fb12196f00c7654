package dev.meshpilot.proxy.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpilot.proxy.gateway.tls.CredentialException;
import dev.meshpilot.proxy.gateway.tls.GatewayCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Why a Gateway server's certificate cannot be used, as the apply report and the log say it. */
class GatewayCredentialsTest {

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki("Test CA");

    @Test
    void aCredentialIsFoundInTheGatewaysNamespaceFirstThenInIstioSystem() throws Exception {
        pki.writeCredential(dir.resolve("istio-system/shared"), pki.issue("a.example.com"));
        pki.writeCredential(dir.resolve("shop/own"), pki.issue("b.example.com"));
        GatewayCredentials credentials = new GatewayCredentials(dir);

        assertThat(credentials.load(server("SIMPLE", "shared", null, null))).isNotNull();
        assertThat(credentials.load(server("SIMPLE", "own", null, null))).isNotNull();
    }

    @Test
    void aMissingCredentialNamesBothPlacesLookedAt() {
        assertThatThrownBy(() -> new GatewayCredentials(dir).load(server("SIMPLE", "nowhere", null, null)))
                .isInstanceOf(CredentialException.class)
                .hasMessage("Gateway shop/web spec.servers[1]: tls.credentialName: nowhere: no directory "
                        + dir.resolve("shop/nowhere") + " or " + dir.resolve("istio-system/nowhere")
                        + " (expected: tls.crt, tls.key and for MUTUAL ca.crt in it)");
    }

    @Test
    void anExpiredCertificateIsRefused() {
        Path credential = pki.writeCredential(dir.resolve("shop/old"),
                pki.issue("old.example.com", Instant.now().minus(Duration.ofHours(1))));

        assertThatThrownBy(() -> new GatewayCredentials(dir).load(server("SIMPLE", "old", null, null)))
                .hasMessageStartingWith("Gateway shop/web spec.servers[1]: tls.credentialName: "
                        + credential.resolve("tls.crt") + ": expired on ");
    }

    @Test
    void aMutualServerNeedsItsCaFile() throws Exception {
        Path credential = pki.writeCredential(dir.resolve("shop/m"), pki.issue("m.example.com"));
        java.nio.file.Files.delete(credential.resolve("ca.crt"));

        assertThatThrownBy(() -> new GatewayCredentials(dir).load(server("MUTUAL", "m", null, null)))
                .hasMessage("Gateway shop/web spec.servers[1]: tls.credentialName: " + credential.resolve("ca.crt")
                        + ": no such file");
    }

    @Test
    void filePathsAreRequiredWithoutACredentialName() {
        assertThatThrownBy(() -> new GatewayCredentials(dir).load(server("SIMPLE", null, "/etc/tls.crt", null)))
                .hasMessage("Gateway shop/web spec.servers[1]: tls.privateKey: missing (expected: a file path, "
                        + "or tls.credentialName)");
        assertThatThrownBy(() -> new GatewayCredentials(null).load(server("SIMPLE", "c", null, null)))
                .hasMessageContaining("tls.credentialName: c: no credentials directory");
    }

    private static GatewayServer server(String mode, @Nullable String credentialName, @Nullable String certificate,
            @Nullable String key) {
        return new GatewayServer("shop/web", "shop", 1, 443, "HTTPS", List.of("*"),
                new ServerTls(mode, false, certificate, key, null, credentialName));
    }
}
