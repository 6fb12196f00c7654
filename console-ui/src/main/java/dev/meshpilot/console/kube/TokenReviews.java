package dev.meshpilot.console.kube;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.console.ca.CsrAuthentication;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** What the API server's answer to a TokenReview means for the CSR endpoint. */
final class TokenReviews {

    static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
    private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

    private TokenReviews() {}

    /**
     * The identity of an authenticated review for one of {@code audiences} whose user is
     * {@code system:serviceaccount:<namespace>:<name>}; {@link CsrAuthentication.Rejected} when the token is not
     * authenticated, not for the audiences, or not a service account's; {@link CsrAuthentication.Unavailable} when
     * the answer has no status (the API server did not review the token).
     */
    static CsrAuthentication judge(TokenReview answer, List<String> audiences) {
        requireNonNull(answer, "answer");
        requireNonNull(audiences, "audiences");
        TokenReviewStatus status = answer.getStatus();
        if (status == null || status.getAuthenticated() == null && blank(status.getError())) {
            return new CsrAuthentication.Unavailable("TokenReview answered without a status (expected: "
                    + "status.authenticated)");
        }
        if (!Boolean.TRUE.equals(status.getAuthenticated())) {
            return new CsrAuthentication.Rejected("service account token not authenticated by TokenReview"
                    + (blank(status.getError()) ? "" : ": " + status.getError()));
        }
        List<String> granted = status.getAudiences() == null ? List.of() : status.getAudiences();
        if (granted.stream().noneMatch(audiences::contains)) {
            return new CsrAuthentication.Rejected("service account token not for audience "
                    + String.join(", ", audiences) + " (TokenReview answered audiences " + granted
                    + "; expected: a token projected with audience " + audiences.getFirst() + ")");
        }
        UserInfo user = status.getUser();
        String username = user == null || user.getUsername() == null ? "" : user.getUsername();
        String[] parts = username.split(":", -1);
        if (!username.startsWith(SERVICE_ACCOUNT_PREFIX) || parts.length != 4 || !DNS_NAME.matcher(parts[2]).matches()
                || !DNS_NAME.matcher(parts[3]).matches()) {
            return new CsrAuthentication.Rejected("not a service account token: user '" + username
                    + "' (expected: system:serviceaccount:<namespace>:<name>)");
        }
        return new CsrAuthentication.Authenticated(parts[2], parts[3], "a service account token (TokenReview)");
    }

    private static boolean blank(@Nullable String text) {
        return text == null || text.isBlank();
    }
}
