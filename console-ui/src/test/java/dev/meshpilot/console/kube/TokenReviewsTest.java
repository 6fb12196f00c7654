package dev.meshpilot.console.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.console.ca.CsrAuthentication;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The answer of a TokenReview, judged without a server: the checks a real API server makes us rely on anyway. */
class TokenReviewsTest {

    static final List<String> ISTIO_CA = List.of("istio-ca");

    @Test
    void anAnswerWithoutStatusIsNoPass() {
        assertThat(TokenReviews.judge(new TokenReview(), ISTIO_CA)).isInstanceOf(CsrAuthentication.Unavailable.class);
        assertThat(TokenReviews.judge(new TokenReviewBuilder().withNewStatus().endStatus().build(), ISTIO_CA))
                .isInstanceOf(CsrAuthentication.Unavailable.class);
    }

    @Test
    void anAuthenticatedTokenWithoutTheRequestedAudienceIsRejected() {
        TokenReview unaware = authenticated("system:serviceaccount:shop:reviews", List.of());

        assertThat(TokenReviews.judge(unaware, ISTIO_CA)).isEqualTo(new CsrAuthentication.Rejected(
                "service account token not for audience istio-ca (TokenReview answered audiences []; expected: a "
                        + "token projected with audience istio-ca)"));
    }

    @Test
    void theUsernameMustBeAServiceAccountsWithDnsNames() {
        for (String user : List.of("system:serviceaccount:shop", "system:serviceaccount:shop:reviews:extra",
                "system:serviceaccount::reviews", "system:serviceaccount:Shop:reviews", "system:node:worker-1")) {
            assertThat(TokenReviews.judge(authenticated(user, ISTIO_CA), ISTIO_CA)).as(user)
                    .isInstanceOf(CsrAuthentication.Rejected.class);
        }
        assertThat(TokenReviews.judge(authenticated("system:serviceaccount:istio-system:istio-ingressgateway",
                ISTIO_CA), ISTIO_CA)).isEqualTo(new CsrAuthentication.Authenticated("istio-system",
                        "istio-ingressgateway", "a service account token (TokenReview)"));
    }

    @Test
    void anUnauthenticatedAnswerWithoutErrorIsStillRejected() {
        TokenReview answer = new TokenReviewBuilder().withNewStatus().withAuthenticated(false).endStatus().build();

        assertThat(TokenReviews.judge(answer, ISTIO_CA)).isEqualTo(
                new CsrAuthentication.Rejected("service account token not authenticated by TokenReview"));
    }

    private static TokenReview authenticated(String username, List<String> audiences) {
        return new TokenReviewBuilder().withNewStatus().withAuthenticated(true).withAudiences(audiences)
                .withNewUser().withUsername(username).endUser().endStatus().build();
    }
}
