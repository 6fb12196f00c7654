package dev.meshpilot.console.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpilot.proxy.identity.CaSettings;
import dev.meshpilot.proxy.identity.RootPem;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mesh root in Secret istio-system/istio-ca-secret, against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class SecretRootStoreTest {

    static final String PASSWORD = "secret-store-password";

    KubernetesClient client;

    @Test
    void createsTheRootInIstiosSecretOnFirstStartAndLoadsItAfterwards() throws Exception {
        WorkloadCertificateAuthority first = WorkloadCertificateAuthority.open(new SecretRootStore(client),
                CaSettings.defaults());

        Secret secret = secret();
        assertThat(secret.getType()).isEqualTo("istio.io/ca-root");
        Map<String, String> data = IstioCaSecrets.decode(secret);
        assertThat(data).containsOnlyKeys("ca-cert.pem", "ca-key.pem");
        assertThat(data.get("ca-cert.pem")).isEqualTo(first.rootCertificatePem());
        assertThat(data.get("ca-key.pem")).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(WorkloadCertificateAuthority.open(new SecretRootStore(client), CaSettings.defaults())
                .rootCertificate()).isEqualTo(first.rootCertificate());
    }

    @Test
    void withAKeyPasswordTheKeyIsEncryptedAsOnDiskAndNeededToLoad() {
        WorkloadCertificateAuthority.open(new SecretRootStore(client), CaSettings.defaults().withKeyPassword(PASSWORD));

        assertThat(IstioCaSecrets.decode(secret()).get("ca-key.pem")).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY");
        assertThatThrownBy(() -> WorkloadCertificateAuthority.open(new SecretRootStore(client), CaSettings.defaults()))
                .hasMessageContaining("Secret istio-system/istio-ca-secret key ca-key.pem: encrypted key")
                .hasMessageContaining("MESHPILOT_CA_KEY_PASSWORD");
    }

    @Test
    void aRootCreatedConcurrentlyIsReadBackInsteadOfOverwritten() throws Exception {
        SecretRootStore store = new SecretRootStore(client);
        WorkloadCertificateAuthority winner = WorkloadCertificateAuthority.open(store, CaSettings.defaults());
        RootPem late = new RootPem("-----BEGIN CERTIFICATE-----\nlate\n-----END CERTIFICATE-----\n", "late key");

        RootPem stored = store.createIfAbsent(late);

        assertThat(stored.certificatePem()).isEqualTo(winner.rootCertificatePem());
        assertThat(IstioCaSecrets.decode(secret()).get("ca-cert.pem")).isEqualTo(winner.rootCertificatePem());
    }

    @Test
    void aRootRotationReplacesTheSecretAndThePublishedBundleFollows() throws Exception {
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.open(new SecretRootStore(client),
                CaSettings.defaults());
        try (RootCertificatePublisher publisher = new RootCertificatePublisher(client, ca)) {
            assertThat(publisher.published()).contains(ca.rootCertificatePem());
            ca.issue("default", "hello"); // the previous root stays trusted while this certificate lives

            ca.rotateRoot();

            assertThat(IstioCaSecrets.decode(secret()).get("ca-cert.pem")).isEqualTo(ca.rootCertificatePem());
            eventually(() -> assertThat(publishedRoots(publisher)).hasSize(2));
            assertThat(WorkloadCertificateAuthority.open(new SecretRootStore(client), CaSettings.defaults())
                    .trustBundle().roots()).as("after a restart").hasSize(2);
            ca.finishRootRotation();
            assertThat(secret().getMetadata().getAnnotations()).doesNotContainKey(SecretRootStore.RETIRES_AT);
            assertThat(IstioCaSecrets.decode(secret())).containsOnlyKeys("ca-cert.pem", "ca-key.pem");
            eventually(() -> assertThat(publishedRoots(publisher)).containsExactly(ca.rootCertificate()));
        }
    }

    @Test
    void theRootIsPublishedInEveryNamespaceButKubernetesOwnAlsoInNamespacesCreatedLater() throws Exception {
        client.namespaces().resource(namespace("shop")).create();
        client.namespaces().resource(namespace("kube-system")).create();
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.open(new SecretRootStore(client),
                CaSettings.defaults());
        try (RootCertificatePublisher publisher = new RootCertificatePublisher(client, ca)) {
            assertThat(publisher.published("shop")).contains(ca.rootCertificatePem());
            assertThat(publisher.published("kube-system")).isEmpty();

            client.namespaces().resource(namespace("billing")).create();

            eventually(() -> assertThat(publisher.published("billing")).contains(ca.rootCertificatePem()));
        }
    }

    private static Namespace namespace(String name) {
        return new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
    }

    private static List<Certificate> publishedRoots(RootCertificatePublisher publisher) {
        try {
            return List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(
                    publisher.published().orElseThrow().getBytes(StandardCharsets.US_ASCII))));
        } catch (CertificateException e) {
            throw new AssertionError(e);
        }
    }

    /** Polls {@code assertion} until it holds, for at most 5 s. */
    private static void eventually(Runnable assertion) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(5);
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError | RuntimeException e) {
                if (Instant.now().isAfter(end)) {
                    throw e;
                }
            }
            Thread.sleep(20);
        }
    }

    private Secret secret() {
        return client.secrets().inNamespace("istio-system").withName("istio-ca-secret").get();
    }
}
