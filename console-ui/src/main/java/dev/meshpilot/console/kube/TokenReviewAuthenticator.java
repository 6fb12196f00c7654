package dev.meshpilot.console.kube;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.console.ca.CsrAuthentication;
import dev.meshpilot.console.ca.CsrAuthenticator;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import java.util.List;

/**
 * Kubernetes service account tokens, checked like Istio's CA does: a {@code authentication.k8s.io/v1} TokenReview
 * with the audiences {@code istio-ca}; an authenticated {@code system:serviceaccount:<namespace>:<name>} is that
 * identity (see {@link TokenReviews#judge}). When the API server cannot be asked (no permission to create
 * TokenReviews, a 5xx, no connection) the answer is {@link CsrAuthentication.Unavailable}: fail closed, never a
 * pass. The review is sent once (no retries with backoff: the sidecar retries its CSR after the 503).
 */
public final class TokenReviewAuthenticator implements CsrAuthenticator {

    /** The audience Istio's CA asks TokenReview for. */
    public static final List<String> ISTIO_CA = List.of("istio-ca");

    private static final int REQUEST_TIMEOUT_MILLIS = 5_000;

    private final KubernetesClient client;
    private final List<String> audiences;

    public TokenReviewAuthenticator(KubernetesClient client, List<String> audiences) {
        requireNonNull(client, "client");
        this.audiences = List.copyOf(audiences);
        if (this.audiences.isEmpty()) {
            throw new IllegalArgumentException("audiences: [] (expected: at least one, e.g. istio-ca)");
        }
        this.client = client.newClient(new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                .withRequestRetryBackoffLimit(0).withRequestTimeout(REQUEST_TIMEOUT_MILLIS).build())
                .adapt(KubernetesClient.class);
    }

    @Override
    public CsrAuthentication authenticate(String token) {
        requireNonNull(token, "token");
        TokenReview review = new TokenReviewBuilder()
                .withNewSpec().withToken(token).withAudiences(audiences).endSpec()
                .build();
        TokenReview answer;
        try {
            answer = client.authentication().v1().tokenReviews().create(review);
        } catch (KubernetesClientException e) {
            return new CsrAuthentication.Unavailable("TokenReview failed: " + describe(e));
        } catch (RuntimeException e) {
            return new CsrAuthentication.Unavailable("TokenReview failed: " + e);
        }
        return TokenReviews.judge(answer, audiences);
    }

    @Override
    public String accepts() {
        return "Kubernetes service account token (audience " + String.join(", ", audiences) + ")";
    }

    private static String describe(KubernetesClientException e) {
        if (e.getCode() == 403) {
            return "HTTP 403 Forbidden (expected: the console's service account may create "
                    + "tokenreviews.authentication.k8s.io, e.g. bound to the ClusterRole system:auth-delegator)";
        }
        if (e.getCode() > 0) {
            String message = e.getStatus() != null && e.getStatus().getMessage() != null
                    ? e.getStatus().getMessage() : String.valueOf(e.getMessage());
            return "HTTP " + e.getCode() + " " + message;
        }
        return e.getCause() != null ? String.valueOf(e.getCause()) : String.valueOf(e.getMessage());
    }
}
