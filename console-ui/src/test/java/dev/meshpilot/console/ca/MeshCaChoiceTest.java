package dev.meshpilot.console.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.meshpilot.console.config.MeshpilotProperties;
import dev.meshpilot.proxy.identity.BootstrapTokens;
import dev.meshpilot.proxy.identity.CaCerts;
import dev.meshpilot.proxy.identity.CaSettings;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.http.ResponseEntity;

/** Which CA the console runs: {@code --ca-certs}, then (cluster mode) Secret {@code cacerts}, then the mesh root. */
@EnableKubernetesMockClient(crud = true)
class MeshCaChoiceTest {

    static final CaSettings SETTINGS = UsersCa.SETTINGS;

    KubernetesClient client;

    @TempDir
    Path tmp;

    private Map<String, String> usersCa;

    @BeforeEach
    void createUsersCa() throws Exception {
        usersCa = UsersCa.create(tmp.resolve("users-ca"));
    }

    @Test
    void theCaCertsDirectoryWinsAndARootRotationIsRefusedWithTheReason() throws Exception {
        Path cacerts = write(tmp.resolve("cacerts"), usersCa);

        WorkloadCertificateAuthority ca = MeshCaChoice.open(properties(cacerts), client, SETTINGS);

        assertThat(ca.rootCertificatePem()).isEqualTo(usersCa.get(CaCerts.ROOT_CERT));
        assertThat(client.secrets().inNamespace("istio-system").withName("istio-ca-secret").get()).isNull();
        assertThat(MeshCaChoice.location(properties(cacerts), client, ca)).isEqualTo(cacerts.toString());
        ResponseEntity<Map<String, Object>> refused = new RootRotationController(ca,
                new CaAdministration(ca, BootstrapTokens.open(tmp.resolve("tokens")), cacerts.toString()))
                .rotate(operator());
        assertThat(refused.getStatusCode().value()).isEqualTo(409);
        assertThat(refused.getBody()).extractingByKey("error").asString()
                .contains("plugged-in CA " + cacerts).contains("rotate it by replacing ca-cert.pem");
    }

    @Test
    void aCaCertsDirectoryThatFailsItsChecksStopsTheStartNamingTheFile() throws Exception {
        Path other = tmp.resolve("other-ca");
        WorkloadCertificateAuthority.openOrCreate(other, SETTINGS);
        Map<String, String> mismatched = new HashMap<>(usersCa);
        mismatched.put(CaCerts.CA_KEY, Files.readString(other.resolve("root-key.pem")));
        Path cacerts = write(tmp.resolve("cacerts"), mismatched);

        Throwable failure = catchThrowable(() -> MeshCaChoice.open(properties(cacerts), null, SETTINGS));

        assertThat(failure).isInstanceOf(MeshCaException.class)
                .hasMessageContaining(cacerts + ": ca-key.pem: not the key of ca-cert.pem");
        FailureAnalysis analysis = new MeshCaFailureAnalyzer().analyze(new BeanCreationException("ca", failure));
        assertThat(analysis.getDescription()).startsWith("The mesh CA cannot start: " + cacerts + ": ca-key.pem");
    }

    @Test
    void inAClusterTheCacertsSecretWinsOverTheSelfSignedRoot() {
        client.secrets().inNamespace("istio-system").resource(new SecretBuilder().withNewMetadata()
                .withNamespace("istio-system").withName("cacerts").endMetadata().withStringData(usersCa).build())
                .create();

        WorkloadCertificateAuthority ca = MeshCaChoice.open(properties(null), client, SETTINGS);

        assertThat(ca.rootCertificatePem()).isEqualTo(usersCa.get(CaCerts.ROOT_CERT));
        assertThat(ca.rootRotatable()).isFalse();
        assertThat(client.secrets().inNamespace("istio-system").withName("istio-ca-secret").get()).isNull();
        assertThat(MeshCaChoice.location(properties(null), client, ca)).isEqualTo("Secret istio-system/cacerts");
    }

    @Test
    void inAClusterWithoutCacertsTheRootIsKeptInTheSecretElseInTheDataDirectory() {
        WorkloadCertificateAuthority cluster = MeshCaChoice.open(properties(null), client, SETTINGS);
        assertThat(IstioCaSecrets.decode(client.secrets().inNamespace("istio-system").withName("istio-ca-secret")
                .get()).get(CaCerts.CA_CERT)).isEqualTo(cluster.rootCertificatePem());
        assertThat(tmp.resolve("data").resolve("ca")).doesNotExist();
        assertThat(MeshCaChoice.location(properties(null), client, cluster))
                .isEqualTo("Secret istio-system/istio-ca-secret");

        WorkloadCertificateAuthority embedded = MeshCaChoice.open(properties(null), null, SETTINGS);
        assertThat(tmp.resolve("data").resolve("ca").resolve("root-cert.pem")).hasContent(
                embedded.rootCertificatePem());
        assertThat(embedded.rootRotatable()).isTrue();
        assertThat(MeshCaChoice.location(properties(null), null, embedded))
                .isEqualTo(tmp.resolve("data").resolve("ca").toString());
    }

    private MeshpilotProperties properties(@Nullable Path caCerts) {
        return new MeshpilotProperties(0, 0, tmp.resolve("data"), null, "main", List.of(),
                MeshpilotProperties.Kubernetes.disabled(), caCerts);
    }

    private static Path write(Path dir, Map<String, String> files) throws Exception {
        return UsersCa.write(dir, files);
    }

    private static Principal operator() {
        return () -> "admin";
    }
}
