package dev.meshpilot.console.kube;

import static dev.meshpilot.console.kube.FakeTokenReviewApi.jwt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.console.EmbeddedRuntimeProperties;
import dev.meshpilot.console.runtime.MeshPorts;
import dev.meshpilot.proxy.fleet.EmbeddedFleet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cluster mode over real HTTP: a sidecar in a pod sends its CSR with its projected service account token (audience
 * {@code istio-ca}); the console checks it with TokenReview against fabric8's mock API server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(ClusterModeTestConfiguration.class)
@DirtiesContext
class KubernetesCaApiTest {

    static final String PASSWORD = "kube-admin-password";
    static final String REVIEWS = ClusterModeTestConfiguration.REVIEWS;

    @TempDir
    static Path data;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        EmbeddedRuntimeProperties.register(registry, data, PASSWORD);
        ClusterModeTestConfiguration.register(registry);
    }

    @Autowired
    MeshPorts ports;

    @Autowired
    EmbeddedFleet fleet;

    @Autowired
    KubernetesClient kubernetes;

    @Autowired
    KubernetesMockServer server;

    @Autowired
    FakeTokenReviewApi tokenReviews;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theConsolesKubernetesClientTalksToTheConfiguredApiServer() {
        assertThat(kubernetes.getMasterUrl().getPort()).isEqualTo(server.getPort());
    }

    @Test
    void aPodWithItsServiceAccountTokenGetsACertificateForThatIdentity() throws Exception {
        KeyPair keys = Csrs.ecKeys();

        HttpResponse<String> response = csr("Bearer " + REVIEWS,
                Csrs.pem(keys, "spiffe://cluster.local/ns/shop/sa/reviews"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificates(
                new ByteArrayInputStream(response.body().getBytes(StandardCharsets.US_ASCII))).iterator().next();
        assertThat(leaf.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(leaf.getSubjectAlternativeNames()).singleElement()
                .isEqualTo(List.of(6, "spiffe://cluster.local/ns/shop/sa/reviews"));
        leaf.verify(fleet.certificateAuthority().issuingCertificate().getPublicKey());
        assertThat(tokenReviews.received()).anySatisfy(review -> {
            assertThat(review.getSpec().getToken()).isEqualTo(REVIEWS);
            assertThat(review.getSpec().getAudiences()).containsExactly("istio-ca");
        });
    }

    @Test
    void aServiceAccountTokenGetsNoCertificateForAnotherIdentity() throws Exception {
        HttpResponse<String> response = csr("Bearer " + REVIEWS,
                Csrs.pem(Csrs.ecKeys(), "spiffe://cluster.local/ns/istio-system/sa/istiod"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("expected: spiffe://cluster.local/ns/shop/sa/reviews");
    }

    @Test
    void anUnauthenticatedServiceAccountTokenIs401WithTheReason() throws Exception {
        HttpResponse<String> response = csr("Bearer " + jwt("system:serviceaccount:shop:forged"),
                Csrs.pem(Csrs.ecKeys(), "spiffe://cluster.local/ns/shop/sa/forged"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("www-authenticate")).hasValue("Bearer");
        assertThat(response.body()).startsWith("service account token not authenticated by TokenReview: ");
    }

    @Test
    void aTokenReviewOutageIs503AndNeverACertificate() throws Exception {
        String token = jwt("system:serviceaccount:shop:reviews during an outage");
        tokenReviews.know(token, "system:serviceaccount:shop:reviews", "istio-ca").fail(token, 500);

        HttpResponse<String> response = csr("Bearer " + token,
                Csrs.pem(Csrs.ecKeys(), "spiffe://cluster.local/ns/shop/sa/reviews"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("retry-after")).hasValue("5");
        assertThat(response.body()).startsWith("TokenReview failed: HTTP 500");
    }

    @Test
    void bootstrapTokensStillWorkInClusterMode() throws Exception {
        HttpResponse<String> issued = post("/api/ca/bootstrap-tokens", basic(), "application/json",
                "{\"namespace\":\"vm\",\"serviceAccount\":\"legacy\",\"ttl\":\"1h\"}");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        String token = JsonMapper.shared().readTree(issued.body()).get("token").asString();
        int reviewsBefore = tokenReviews.received().size();

        HttpResponse<String> response = csr("Bearer " + token,
                Csrs.pem(Csrs.ecKeys(), "spiffe://cluster.local/ns/vm/sa/legacy"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(tokenReviews.received()).as("a bootstrap token is not sent to the API server")
                .hasSize(reviewsBefore);
        HttpResponse<String> missing = csr(null, Csrs.pem(Csrs.ecKeys(), "spiffe://cluster.local/ns/vm/sa/legacy"));
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.body()).isEqualTo("bearer token missing (expected: Authorization: Bearer <bootstrap token "
                + "or Kubernetes service account token (audience istio-ca)>)\n");
    }

    private HttpResponse<String> csr(@Nullable String authorization, String pem) {
        return post("/api/ca/csr", authorization, "application/pkcs10", pem);
    }

    private HttpResponse<String> post(String path, @Nullable String authorization,
            String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.consolePort()
                + path)).timeout(Duration.ofSeconds(15)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }
}
