package dev.meshpilot.proxy.authz;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the inbound listener does with one request.
 *
 * @param status         0 to forward to the workload, else the status to answer (400, 401, 403, or an external
 *                       authorizer's)
 * @param body           the answer's body when {@code status} is not 0 (Istio's texts)
 * @param pathAndQuery   the normalized request target to forward
 * @param policy         {@code ns/name} of the deciding policy, null when none decided
 * @param rule           index of the deciding rule, null when unknown or not applicable
 * @param reason         why, for the access log and the operator; null when nothing was decided
 * @param responseHeaders headers to add to the answer: {@code x-meshpilot-authz} for the operator,
 *                        {@code www-authenticate} on a 401
 */
public record AuthzVerdict(int status, String body, String pathAndQuery, @Nullable String policy, @Nullable String rule,
        @Nullable String reason, Map<String, String> responseHeaders) {

    public AuthzVerdict {
        requireNonNull(body, "body");
        requireNonNull(pathAndQuery, "pathAndQuery");
        responseHeaders = Map.copyOf(responseHeaders);
        if (status != 0 && (status < 300 || status > 599)) {
            throw new IllegalArgumentException("status: " + status + " (expected: 0 or 300..599)");
        }
    }

    /** Whether the request goes on to the workload. */
    public boolean forward() {
        return status == 0;
    }

    /** The access-log fields {@code authz_policy}, {@code authz_rule}, {@code authz_reason}. */
    public Map<String, @Nullable String> logFields() {
        Map<String, @Nullable String> fields = new LinkedHashMap<>();
        fields.put("authz_policy", policy);
        fields.put("authz_rule", rule);
        fields.put("authz_reason", reason);
        return fields;
    }
}
