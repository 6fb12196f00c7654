package dev.meshpilot.console.kube;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.utils.ResponseProvider;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The TokenReview API of a fabric8 mock server (an expectation: the CRUD mode cannot fill a review's
 * {@code status}), answering like a real API server for the tokens it knows: authenticated as their user with the
 * audiences both the token and the review name, everything else unauthenticated. {@link #fail} makes one token's
 * review an API error.
 */
final class FakeTokenReviewApi {

    static final String PATH = "/apis/authentication.k8s.io/v1/tokenreviews";

    private record Known(String username, List<String> audiences, int httpStatus) {}

    private final KubernetesSerialization serialization = new KubernetesSerialization();
    private final Map<String, Known> tokens = new ConcurrentHashMap<>();
    private final List<TokenReview> received = new CopyOnWriteArrayList<>();
    private final Map<RecordedRequest, TokenReview> parsed = new WeakHashMap<>();

    private FakeTokenReviewApi() {}

    static FakeTokenReviewApi install(KubernetesMockServer server) {
        FakeTokenReviewApi api = new FakeTokenReviewApi();
        server.expect().post().withPath(PATH).andReply(api.responses()).always();
        return api;
    }

    /** A JWT-shaped token (header.payload.signature) that names {@code subject}; the API server knows it or not. */
    static String jwt(String subject) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return base64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(("{\"sub\":\"" + subject + "\"}").getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(subject.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code token} belongs to {@code username} and was projected for {@code audiences}. */
    FakeTokenReviewApi know(String token, String username, String... audiences) {
        tokens.put(token, new Known(username, List.of(audiences), 201));
        return this;
    }

    /** The review of {@code token} fails with {@code httpStatus}. */
    FakeTokenReviewApi fail(String token, int httpStatus) {
        tokens.put(token, new Known("", List.of(), httpStatus));
        return this;
    }

    /** Every review the server got, oldest first. */
    List<TokenReview> received() {
        return List.copyOf(received);
    }

    private ResponseProvider<Object> responses() {
        return new ResponseProvider<>() {
            private Headers headers = Headers.builder().add("Content-Type", "application/json").build();

            @Override
            public int getStatusCode(RecordedRequest request) {
                Known known = tokens.get(review(request).getSpec().getToken());
                return known == null ? 201 : known.httpStatus();
            }

            @Override
            public Object getBody(RecordedRequest request) {
                TokenReview review = review(request);
                received.add(review);
                return serialization.asJson(answer(review));
            }

            @Override
            public Headers getHeaders() {
                return headers;
            }

            @Override
            public void setHeaders(Headers headers) {
                this.headers = headers;
            }
        };
    }

    /** The review a request carries, parsed once (its body can be read only once). */
    private TokenReview review(RecordedRequest request) {
        synchronized (parsed) {
            return parsed.computeIfAbsent(request,
                    r -> serialization.unmarshal(r.getUtf8Body(), TokenReview.class));
        }
    }

    private Object answer(TokenReview review) {
        Known known = tokens.get(review.getSpec().getToken());
        if (known != null && known.httpStatus() != 201) {
            return Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "code", known.httpStatus(),
                    "message", "etcdserver: request timed out");
        }
        List<String> requested = review.getSpec().getAudiences() == null ? List.of() : review.getSpec().getAudiences();
        @Nullable List<String> granted = known == null ? null
                : known.audiences().stream().filter(requested::contains).toList();
        boolean authenticated = granted != null && !granted.isEmpty();
        TokenReviewBuilder answer = new TokenReviewBuilder(review).withNewStatus()
                .withAuthenticated(authenticated)
                .withAudiences(authenticated ? granted : List.of())
                .endStatus();
        if (authenticated) {
            answer.editStatus().withNewUser().withUsername(known.username())
                    .withGroups("system:serviceaccounts", "system:authenticated").endUser().endStatus();
        } else {
            answer.editStatus().withError(known == null ? "[invalid bearer token, token lookup failed]"
                    : "[invalid bearer token, token audiences " + known.audiences()
                            + " is invalid for the target audiences " + requested + "]").endStatus();
        }
        return answer.build();
    }
}
