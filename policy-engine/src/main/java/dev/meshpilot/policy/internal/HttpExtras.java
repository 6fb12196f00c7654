package dev.meshpilot.policy.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The parts of an http rule beyond destinations: redirect, rewrite, direct response, header
 * manipulation, fault injection, mirror and CORS.
 */
public record HttpExtras(@Nullable Redirect redirect, @Nullable Rewrite rewrite, @Nullable DirectResponse directResponse,
        Map<String, String> requestSet, Map<String, String> requestAdd, List<String> requestRemove,
        Map<String, String> responseSet, Map<String, String> responseAdd, List<String> responseRemove,
        @Nullable Delay delay, @Nullable Abort abort, @Nullable Mirror mirror, @Nullable Cors cors) {

    public static final HttpExtras NONE = new HttpExtras(null, null, null, Map.of(), Map.of(), List.of(), Map.of(),
            Map.of(), List.of(), null, null, null, null);

    public record Redirect(@Nullable String uri, @Nullable String authority, int redirectCode) {}

    public record Rewrite(@Nullable String uri, @Nullable String authority) {}

    public record DirectResponse(int status, @Nullable String body) {}

    public record Delay(Duration fixedDelay, double percentage) {}

    public record Abort(int httpStatus, double percentage) {}

    public record Mirror(String host, @Nullable String subset, @Nullable Integer port, double percentage) {}

    public record Cors(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
            List<String> exposeHeaders, @Nullable Duration maxAge, @Nullable Boolean allowCredentials) {}
}
