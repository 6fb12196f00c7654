package dev.meshpilot.proxy.route;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.RetryPolicy;
import dev.meshpilot.policy.workload.ServiceSpec;
import org.jspecify.annotations.Nullable;

/** Small decisions of the routing engine: Service hosts, retriable statuses. */
final class RouteRules {

    private RouteRules() {}

    static boolean isService(MeshSnapshot snapshot, String host) {
        for (ServiceSpec service : snapshot.services()) {
            if (service.fqdn().equals(host)) {
                return true;
            }
        }
        return false;
    }


    /**
     * Whether an answer with {@code status} is retried: without a retry policy Istio's default
     * ({@code connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes} with the retriable status
     * 503) retries 503; a policy without {@code retryOn} too; otherwise as its conditions say.
     */
    static boolean retriable(int status, @Nullable RetryPolicy retries) {
        if (retries == null || retries.retryOn().isEmpty()) {
            return status == 503;
        }
        for (String condition : retries.retryOn()) {
            switch (condition.trim()) {
                case "5xx" -> { if (status >= 500) return true; }
                case "gateway-error" -> { if (status == 502 || status == 503 || status == 504) return true; }
                case "retriable-4xx" -> { if (status == 409) return true; }
                case "unavailable", "retriable-status-codes" -> { if (status == 503) return true; }
                default -> { if (condition.trim().equals(Integer.toString(status))) return true; }
            }
        }
        return false;
    }

    /**
     * Whether a try that got no response is retried: without a retry policy Istio's default retries connect failures
     * and refused streams; a policy without {@code retryOn} (Istio's default conditions) retries every failure;
     * otherwise {@code 5xx}, {@code gateway-error} and {@code reset} cover connect failures, resets and per-try
     * timeouts, {@code connect-failure} connect failures, {@code refused-stream} refused connections and resets.
     */
    static boolean retriable(UpstreamClient.Failure failure, @Nullable RetryPolicy retries) {
        if (failure == UpstreamClient.Failure.NONE) {
            return false;
        }
        if (retries == null) {
            return failure != UpstreamClient.Failure.TIMEOUT;
        }
        if (retries.retryOn().isEmpty()) {
            return true;
        }
        for (String condition : retries.retryOn()) {
            switch (condition.trim()) {
                case "5xx", "gateway-error", "reset" -> { return true; }
                case "connect-failure" -> { if (failure == UpstreamClient.Failure.CONNECT) return true; }
                case "refused-stream" -> { if (failure != UpstreamClient.Failure.TIMEOUT) return true; }
                default -> { }
            }
        }
        return false;
    }

    static int defaultPort(MeshSnapshot snapshot, String host, int requestPort) {
        for (ServiceSpec service : snapshot.services()) {
            if (service.fqdn().equals(host) && service.ports().size() == 1) {
                return service.ports().get(0).port();
            }
        }
        return requestPort;
    }
}
