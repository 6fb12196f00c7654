package dev.meshpilot.console.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.console.EmbeddedRuntimeProperties;
import dev.meshpilot.console.runtime.MeshPorts;
import dev.meshpilot.proxy.fleet.EmbeddedFleet;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The CA's API over real HTTP: the CSR flow of an out-of-process sidecar (an operator issues a token, the sidecar sends
 * a CSR) and an operator's root rotation.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class CaApiTest {

    static final String PASSWORD = "ca-admin-password";

    @TempDir
    static Path data;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        EmbeddedRuntimeProperties.register(registry, data, PASSWORD);
    }

    @Autowired
    MeshPorts ports;

    @Autowired
    EmbeddedFleet fleet;

    @Autowired
    WorkloadCertificateAuthority ca;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aSidecarWithABootstrapTokenGetsACertificateForItsIdentity() throws Exception {
        String token = issueToken("shop", "reviews");
        KeyPair keys = ecKeys();

        HttpResponse<String> response = csr("Bearer " + token, csr(keys, "spiffe://cluster.local/ns/shop/sa/reviews"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/x-pem-file"));
        X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificates(
                new ByteArrayInputStream(response.body().getBytes(StandardCharsets.US_ASCII))).iterator().next();
        assertThat(leaf.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(leaf.getSubjectAlternativeNames()).singleElement()
                .isEqualTo(List.of(6, "spiffe://cluster.local/ns/shop/sa/reviews"));
        leaf.verify(fleet.certificateAuthority().issuingCertificate().getPublicKey());
        assertThat(Files.readString(data.resolve("bootstrap-tokens"))).doesNotContain(token);
    }

    @Test
    void aCsrWithoutAValidTokenIs401() throws Exception {
        String csr = csr(ecKeys());

        assertThat(csr(null, csr).statusCode()).isEqualTo(401);
        HttpResponse<String> unknown = csr("Bearer not-a-token", csr);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).contains("bootstrap token missing, unknown or expired");
        assertThat(csr(basic(), csr).statusCode()).as("console credentials are no bootstrap token").isEqualTo(401);
    }

    @Test
    void aCsrForAnotherIdentityIs403() throws Exception {
        String token = issueToken("shop", "reviews");

        HttpResponse<String> response = csr("Bearer " + token,
                csr(ecKeys(), "spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("expected: spiffe://cluster.local/ns/shop/sa/reviews");
    }

    @Test
    void aMalformedCsrIs400WithTheReason() throws Exception {
        String token = issueToken("shop", "reviews");

        HttpResponse<String> response = csr("Bearer " + token, "-----BEGIN CERTIFICATE REQUEST-----\nxyz\n");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).startsWith("csr: not a PEM CERTIFICATE REQUEST");
    }

    @Test
    void onlyAnOperatorIssuesTokensAndBadRequestsSayWhy() throws Exception {
        String body = "{\"namespace\":\"shop\",\"serviceAccount\":\"reviews\",\"ttl\":\"24h\"}";
        assertThat(post("/api/ca/bootstrap-tokens", null, "application/json", body).statusCode()).isEqualTo(401);

        HttpResponse<String> bad = post("/api/ca/bootstrap-tokens", basic(), "application/json",
                "{\"namespace\":\"shop\",\"serviceAccount\":\"reviews\",\"ttl\":\"soon\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("ttl: 'soon' (expected: a duration like 24h, 30m or 7d)");
    }

    @Test
    void anOperatorRotatesTheRootTheMeshTrustsBothUntilTheRotationIsFinished() throws Exception {
        X509Certificate before = ca.rootCertificate();
        ca.issue("default", "hello"); // a certificate of the previous root keeps it trusted until it expires
        assertThat(rotation("POST", null).statusCode()).isEqualTo(401);

        HttpResponse<String> started = rotation("POST", basic());

        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        JsonNode json = JsonMapper.shared().readTree(started.body());
        assertThat(json.get("previousRoot").get("serial").asString()).isEqualTo(before.getSerialNumber().toString(16));
        assertThat(json.get("newRoot").get("serial").asString())
                .isEqualTo(ca.rootCertificate().getSerialNumber().toString(16));
        assertThat(fleet.certificateAuthority()).isSameAs(ca);
        assertThat(ca.trustBundle().roots()).containsExactly(before, ca.rootCertificate());
        HttpResponse<String> again = rotation("POST", basic());
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("a root rotation is in progress until");
        assertThat(JsonMapper.shared().readTree(rotation("GET", basic()).body()).get("rotating").asBoolean()).isTrue();

        HttpResponse<String> finished = rotation("DELETE", basic());

        assertThat(finished.statusCode()).as(finished.body()).isEqualTo(200);
        assertThat(ca.trustBundle().roots()).containsExactly(ca.rootCertificate());
        assertThat(rotation("DELETE", basic()).statusCode()).isEqualTo(409);
        assertThat(JsonMapper.shared().readTree(rotation("GET", basic()).body()).get("rotating").asBoolean()).isFalse();
    }

    private HttpResponse<String> rotation(String method, @Nullable String authorization) {
        return send(method, "/api/ca/root-rotation", authorization, "application/json", "");
    }

    private String issueToken(String namespace, String serviceAccount) {
        HttpResponse<String> response = post("/api/ca/bootstrap-tokens", basic(), "application/json",
                "{\"namespace\":\"" + namespace + "\",\"serviceAccount\":\"" + serviceAccount + "\",\"ttl\":\"1h\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode json = JsonMapper.shared().readTree(response.body());
        assertThat(json.get("namespace").asString()).isEqualTo(namespace);
        return json.get("token").asString();
    }

    private HttpResponse<String> csr(@Nullable String authorization, String pem) {
        return post("/api/ca/csr", authorization, "application/pkcs10", pem);
    }

    private HttpResponse<String> post(String path, @Nullable String authorization, String contentType, String body) {
        return send("POST", path, authorization, contentType, body);
    }

    private HttpResponse<String> send(String method, String path, @Nullable String authorization, String contentType,
            String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.consolePort()
                + path)).timeout(Duration.ofSeconds(10)).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static String csr(KeyPair keys, String... uris) throws Exception {
        JcaPKCS10CertificationRequestBuilder builder =
                new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=sidecar"), keys.getPublic());
        if (uris.length > 0) {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uris[0])));
            builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
        }
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        }
        return out.toString();
    }
}
