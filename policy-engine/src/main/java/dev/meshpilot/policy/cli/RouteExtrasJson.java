package dev.meshpilot.policy.cli;

import dev.meshpilot.policy.internal.Durations;
import dev.meshpilot.policy.route.HttpRouteExtras;
import dev.meshpilot.policy.route.HttpRouteExtras.HeaderOperations;
import dev.meshpilot.policy.route.HttpRouteExtras.OriginMatch;
import dev.meshpilot.policy.route.RouteDecision;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON fields for redirect, rewrite (with the matched prefix), directResponse, headers, fault, mirror and CORS,
 * only when set, read from the public {@link RouteDecision#extras()}.
 */
final class RouteExtrasJson {
    private RouteExtrasJson() {}

    static void put(Map<String, Object> route, RouteDecision decision) {
        HttpRouteExtras x = decision.extras();
        if (x.redirect() != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("uri", x.redirect().uri());
            m.put("authority", x.redirect().authority());
            putIfSet(m, "scheme", x.redirect().scheme());
            putIfSet(m, "port", x.redirect().port());
            putIfSet(m, "derivePort", x.redirect().derivePort());
            m.put("redirectCode", x.redirect().redirectCode());
            route.put("redirect", m);
        }
        if (x.rewrite() != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("uri", x.rewrite().uri());
            if (x.rewrite().uriRegexRewrite() != null) {
                m.put("uriRegexRewrite", Map.of("match", x.rewrite().uriRegexRewrite().match(),
                        "rewrite", x.rewrite().uriRegexRewrite().rewrite()));
            }
            m.put("authority", x.rewrite().authority());
            if (x.rewrite().uri() != null) {
                m.put("matchedPrefix", decision.matchedPrefix() == null ? "/" : decision.matchedPrefix());
            }
            route.put("rewrite", m);
        }
        if (x.directResponse() != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", x.directResponse().status());
            m.put("body", x.directResponse().body());
            route.put("directResponse", m);
        }
        if (!x.requestHeaders().isEmpty() || !x.responseHeaders().isEmpty()) {
            route.put("headers", Map.of("request", headers(x.requestHeaders()), "response", headers(x.responseHeaders())));
        }
        if (x.fault() != null) {
            Map<String, Object> fault = new LinkedHashMap<>();
            if (x.fault().delay() != null) {
                fault.put("delay", Map.of("fixedDelay", Durations.format(x.fault().delay().fixedDelay()),
                        "percentage", x.fault().delay().percentage()));
            }
            if (x.fault().abort() != null) {
                fault.put("abort", Map.of("httpStatus", x.fault().abort().httpStatus(),
                        "percentage", x.fault().abort().percentage()));
            }
            route.put("fault", fault);
        }
        if (x.mirror() != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", x.mirror().host());
            m.put("subset", x.mirror().subset());
            m.put("port", x.mirror().port());
            m.put("percentage", x.mirror().percentage());
            route.put("mirror", m);
        }
        if (x.corsPolicy() != null) {
            HttpRouteExtras.CorsPolicy c = x.corsPolicy();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("allowOrigins", c.allowOrigins().stream().map(RouteExtrasJson::origin).toList());
            m.put("allowMethods", c.allowMethods());
            m.put("allowHeaders", c.allowHeaders());
            m.put("exposeHeaders", c.exposeHeaders());
            m.put("maxAge", c.maxAge() == null ? null : Durations.format(c.maxAge()));
            m.put("allowCredentials", c.allowCredentials());
            route.put("cors", m);
        }
    }

    private static Map<String, Object> headers(HeaderOperations h) {
        return Map.of("set", h.set(), "add", h.add(), "remove", List.copyOf(h.remove()));
    }

    private static Map<String, Object> origin(OriginMatch o) {
        return Map.of(o.kind().name().toLowerCase(Locale.ROOT), o.value());
    }

    private static void putIfSet(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
