package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.route.HttpRouteExtras;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The older internal view of an http rule's extras, derived from the public {@link HttpRouteExtras}
 * ({@code RouteDecision.extras()}). Kept only so that proxy code built before the public model keeps compiling until
 * it is merged; new code reads {@code RouteDecision.extras()}.
 *
 * @deprecated use {@link dev.meshpilot.policy.route.RouteDecision#extras()}
 */
@Deprecated
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

    /** {@code allowOrigins}: exact origins, prefixes ending with {@code *}, regexes as written. */
    public record Cors(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
            List<String> exposeHeaders, @Nullable Duration maxAge, @Nullable Boolean allowCredentials) {}

    static HttpExtras of(HttpRouteExtras x) {
        if (x.isEmpty()) {
            return NONE;
        }
        HttpRouteExtras.Redirect r = x.redirect();
        HttpRouteExtras.Rewrite w = x.rewrite();
        HttpRouteExtras.DirectResponse d = x.directResponse();
        HttpRouteExtras.Fault f = x.fault();
        HttpRouteExtras.Mirror m = x.mirror();
        HttpRouteExtras.CorsPolicy c = x.corsPolicy();
        return new HttpExtras(r == null ? null : new Redirect(r.uri(), r.authority(), r.redirectCode()),
                w == null ? null : new Rewrite(w.uri(), w.authority()),
                d == null ? null : new DirectResponse(d.status(), d.body()),
                x.requestHeaders().set(), x.requestHeaders().add(), x.requestHeaders().remove(),
                x.responseHeaders().set(), x.responseHeaders().add(), x.responseHeaders().remove(),
                f == null || f.delay() == null ? null : new Delay(f.delay().fixedDelay(), f.delay().percentage()),
                f == null || f.abort() == null ? null : new Abort(f.abort().httpStatus(), f.abort().percentage()),
                m == null ? null : new Mirror(m.host(), m.subset(), m.port(), m.percentage()),
                c == null ? null : new Cors(c.allowOrigins().stream().map(o -> switch (o.kind()) {
                    case EXACT, REGEX -> o.value();
                    case PREFIX -> o.value() + "*";
                }).toList(), c.allowMethods(), c.allowHeaders(), c.exposeHeaders(), c.maxAge(), c.allowCredentials()));
    }
}
