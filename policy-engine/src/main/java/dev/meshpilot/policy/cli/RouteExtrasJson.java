package dev.meshpilot.policy.cli;

import dev.meshpilot.policy.internal.Durations;
import dev.meshpilot.policy.internal.HttpExtras;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON fields for redirect, rewrite, directResponse, headers, fault, mirror and CORS (only when set). */
final class RouteExtrasJson {
    private RouteExtrasJson() {}

    static void put(Map<String, Object> route, HttpExtras x) {
        if (x.redirect() != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("uri", x.redirect().uri());
            m.put("authority", x.redirect().authority());
            m.put("redirectCode", x.redirect().redirectCode());
            route.put("redirect", m);
        }
        if (x.rewrite() != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("uri", x.rewrite().uri());
            m.put("authority", x.rewrite().authority());
            route.put("rewrite", m);
        }
        if (x.directResponse() != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", x.directResponse().status());
            m.put("body", x.directResponse().body());
            route.put("directResponse", m);
        }
        if (!x.requestSet().isEmpty() || !x.requestAdd().isEmpty() || !x.requestRemove().isEmpty()
                || !x.responseSet().isEmpty() || !x.responseAdd().isEmpty() || !x.responseRemove().isEmpty()) {
            route.put("headers", Map.of(
                    "request", Map.of("set", x.requestSet(), "add", x.requestAdd(), "remove", x.requestRemove()),
                    "response", Map.of("set", x.responseSet(), "add", x.responseAdd(), "remove", x.responseRemove())));
        }
        if (x.delay() != null || x.abort() != null) {
            Map<String, Object> fault = new LinkedHashMap<>();
            if (x.delay() != null) {
                fault.put("delay", Map.of("fixedDelay", Durations.format(x.delay().fixedDelay()),
                        "percentage", x.delay().percentage()));
            }
            if (x.abort() != null) {
                fault.put("abort", Map.of("httpStatus", x.abort().httpStatus(), "percentage", x.abort().percentage()));
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
        if (x.cors() != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("allowOrigins", x.cors().allowOrigins());
            m.put("allowMethods", x.cors().allowMethods());
            m.put("allowHeaders", x.cors().allowHeaders());
            m.put("exposeHeaders", x.cors().exposeHeaders());
            m.put("maxAge", x.cors().maxAge() == null ? null : Durations.format(x.cors().maxAge()));
            m.put("allowCredentials", x.cors().allowCredentials());
            route.put("cors", m);
        }
    }
}
