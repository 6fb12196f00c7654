package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Net.HttpMatch;
import dev.meshpilot.policy.internal.Net.HttpRule;
import dev.meshpilot.policy.internal.Net.StringMatch;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.RouteDecision;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One request as http match conditions see it: the path without its query, the query parameters, the
 * proxy that asks and the gateway it serves ({@code null} for a sidecar, which matches {@code mesh}).
 */
public final class RequestMatcher {
    private final RequestAttributes request;
    private final ProxyRef proxy;
    private final @Nullable String gateway;
    private final String path;
    private final String rawQuery;
    private @Nullable Map<String, String> query;

    public RequestMatcher(RequestAttributes request, ProxyRef proxy, @Nullable String gateway) {
        this.request = request;
        this.proxy = proxy;
        this.gateway = gateway;
        String p = request.path();
        int q = p.indexOf('?');
        this.path = q < 0 ? p : p.substring(0, q);
        this.rawQuery = q < 0 ? "" : p.substring(q + 1);
    }

    /** A rule without match blocks matches everything; otherwise any block (OR) whose conditions all hold (AND). */
    public boolean matches(HttpRule rule) {
        return decide(rule) != null;
    }

    /** The rule's prebuilt decision for the first matching block, {@code null} when the rule does not match. */
    public @Nullable RouteDecision decide(HttpRule rule) {
        List<HttpMatch> matches = rule.matches();
        if (matches.isEmpty()) {
            return rule.decision();
        }
        for (int i = 0; i < matches.size(); i++) {
            if (matches(matches.get(i))) {
                return rule.blockDecisions().get(i);
            }
        }
        return null;
    }

    public boolean matches(HttpMatch m) {
        if (m.uri() != null && !uri(m.uri(), m.ignoreUriCase())) {
            return false;
        }
        if (m.method() != null && !m.method().test(request.method())) {
            return false;
        }
        if (m.authority() != null && !m.authority().test(request.authority())) {
            return false;
        }
        if (m.scheme() != null && !m.scheme().test(scheme())) {
            return false;
        }
        if (m.port() != 0 && request.port() != 0 && m.port() != request.port()) {
            return false;
        }
        for (Map.Entry<String, StringMatch> h : m.headers().entrySet()) {
            if (!h.getValue().test(request.header(h.getKey()))) {
                return false;
            }
        }
        for (Map.Entry<String, StringMatch> h : m.withoutHeaders().entrySet()) {
            if (h.getValue().test(request.header(h.getKey()))) {
                return false;
            }
        }
        for (Map.Entry<String, StringMatch> q : m.queryParams().entrySet()) {
            if (!q.getValue().test(query().get(q.getKey()))) {
                return false;
            }
        }
        for (Map.Entry<String, String> l : m.sourceLabels().entrySet()) {
            if (!l.getValue().equals(proxy.labels().get(l.getKey()))) {
                return false;
            }
        }
        if (m.sourceNamespace() != null && !m.sourceNamespace().equals(proxy.namespace())) {
            return false;
        }
        if (!m.gateways().isEmpty()) {
            String self = gateway == null ? "mesh" : gateway;
            String shortName = gateway == null ? "mesh" : gateway.substring(gateway.indexOf('/') + 1);
            return m.gateways().contains(self) || m.gateways().contains(shortName);
        }
        return true;
    }

    private boolean uri(StringMatch match, boolean ignoreCase) {
        if (!ignoreCase) {
            return match.test(path);
        }
        return match.lowerCase().test(path.toLowerCase(Locale.ROOT));
    }

    private String scheme() {
        String proto = request.header("x-forwarded-proto");
        return proto == null ? "http" : proto;
    }

    private Map<String, String> query() {
        if (query == null) {
            Map<String, String> q = new HashMap<>();
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                String v = eq < 0 ? "" : pair.substring(eq + 1);
                q.putIfAbsent(decode(k), decode(v));
            }
            query = q;
        }
        return query;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
