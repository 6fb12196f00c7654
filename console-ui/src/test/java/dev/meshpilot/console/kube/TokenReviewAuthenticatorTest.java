package dev.meshpilot.console.kube;

import static dev.meshpilot.console.kube.FakeTokenReviewApi.jwt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpilot.console.ca.CsrAuthentication;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Service account tokens checked against fabric8's mock API server (expectations: TokenReview has a status). */
@EnableKubernetesMockClient
class TokenReviewAuthenticatorTest {

    static final String REVIEWS = jwt("system:serviceaccount:shop:reviews");

    KubernetesMockServer server;
    KubernetesClient client;

    FakeTokenReviewApi api;
    TokenReviewAuthenticator authenticator;

    @BeforeEach
    void install() {
        MockServerLog.quiet();
        api = FakeTokenReviewApi.install(server).know(REVIEWS, "system:serviceaccount:shop:reviews", "istio-ca");
        authenticator = new TokenReviewAuthenticator(client, TokenReviewAuthenticator.ISTIO_CA);
    }

    @Test
    void anAuthenticatedServiceAccountTokenIsItsNamespaceAndServiceAccount() {
        assertThat(authenticator.authenticate(REVIEWS)).isEqualTo(new CsrAuthentication.Authenticated(
                "shop", "reviews", "a service account token (TokenReview)"));

        TokenReview sent = api.received().getLast();
        assertThat(sent.getSpec().getToken()).isEqualTo(REVIEWS);
        assertThat(sent.getSpec().getAudiences()).containsExactly("istio-ca");
        assertThat(sent.getApiVersion()).isEqualTo("authentication.k8s.io/v1");
    }

    @Test
    void anUnknownTokenIsRejectedWithTheApiServersReason() {
        CsrAuthentication result = authenticator.authenticate(jwt("forged"));

        assertThat(result).isInstanceOfSatisfying(CsrAuthentication.Rejected.class, rejected ->
                assertThat(rejected.reason()).isEqualTo("service account token not authenticated by TokenReview: "
                        + "[invalid bearer token, token lookup failed]"));
    }

    @Test
    void aTokenProjectedForAnotherAudienceIsRejected() {
        String apiToken = jwt("kube-apiserver audience");
        api.know(apiToken, "system:serviceaccount:shop:reviews", "https://kubernetes.default.svc");

        assertThat(authenticator.authenticate(apiToken)).isInstanceOfSatisfying(CsrAuthentication.Rejected.class,
                rejected -> assertThat(rejected.reason()).contains("is invalid for the target audiences [istio-ca]"));
    }

    @Test
    void aUserTokenIsNotAWorkloadIdentity() {
        String admin = jwt("admin");
        api.know(admin, "kubernetes-admin", "istio-ca");

        assertThat(authenticator.authenticate(admin)).isEqualTo(new CsrAuthentication.Rejected("not a service account "
                + "token: user 'kubernetes-admin' (expected: system:serviceaccount:<namespace>:<name>)"));
    }

    @Test
    void anApiErrorFailsClosedAsUnavailable() {
        String token = jwt("during an outage");
        api.know(token, "system:serviceaccount:shop:reviews", "istio-ca").fail(token, 500);

        assertThat(authenticator.authenticate(token)).isInstanceOfSatisfying(CsrAuthentication.Unavailable.class,
                unavailable -> assertThat(unavailable.reason()).startsWith("TokenReview failed: HTTP 500"));
        assertThat(api.received()).as("sent once, not retried with backoff").hasSize(1);
    }

    @Test
    void aMissingPermissionFailsClosedNamingTheRoleToBind() {
        String token = jwt("no rbac");
        api.fail(token, 403);

        assertThat(authenticator.authenticate(token)).isInstanceOfSatisfying(CsrAuthentication.Unavailable.class,
                unavailable -> assertThat(unavailable.reason()).contains("HTTP 403", "system:auth-delegator"));
    }

    @Test
    void anUnreachableApiServerFailsClosedWithinTheRequestTimeout() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + closedPort).build();
        try (KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(config).build()) {
            long started = System.nanoTime();

            CsrAuthentication result = new TokenReviewAuthenticator(unreachable, TokenReviewAuthenticator.ISTIO_CA)
                    .authenticate(REVIEWS);

            assertThat(result).isInstanceOfSatisfying(CsrAuthentication.Unavailable.class,
                    unavailable -> assertThat(unavailable.reason()).startsWith("TokenReview failed: "));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
        }
    }

    @Test
    void needsAnAudience() {
        assertThatThrownBy(() -> new TokenReviewAuthenticator(client, List.of()))
                .hasMessage("audiences: [] (expected: at least one, e.g. istio-ca)");
    }
}
