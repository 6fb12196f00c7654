package dev.meshpilot.proxy.route;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.HttpRouteExtras;
import dev.meshpilot.policy.route.HttpRouteExtras.HeaderOperations;
import dev.meshpilot.policy.route.HttpRouteExtras.OriginMatch;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.RouteDecision;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * The proxy's {@link RouteExtras} for a {@link RouteDecision}: converted from the engine's public
 * {@link RouteDecision#extras()} and {@link RouteDecision#matchedPrefix()}, once per snapshot, rule and matched prefix
 * (the engine prebuilds its decisions per rule, so the request path only does a map lookup).
 */
final class EngineRouteExtras {

    private record Key(String virtualService, int rule, @Nullable String matchedPrefix) {}

    private record Generation(@Nullable MeshSnapshot snapshot, ConcurrentMap<Key, RouteExtras> rules) {}

    private static final int MAX_ENTRIES = 65_536;

    private volatile Generation current = new Generation(null, new ConcurrentHashMap<>());

    /** The extras for {@code decision}; {@link RouteExtras#NONE} when its rule has none. */
    RouteExtras of(MeshSnapshot snapshot, ProxyRef proxy, RequestAttributes request, RouteDecision decision) {
        HttpRouteExtras x = decision.extras();
        String vs = decision.virtualService();
        if (x.isEmpty() || vs == null) {
            return x.isEmpty() ? RouteExtras.NONE : convert(x, decision.matchedPrefix());
        }
        Generation generation = current;
        if (generation.snapshot() != snapshot || generation.rules().size() >= MAX_ENTRIES) {
            generation = new Generation(snapshot, new ConcurrentHashMap<>());
            current = generation;
        }
        return generation.rules().computeIfAbsent(new Key(vs, decision.rule(), decision.matchedPrefix()),
                k -> convert(x, k.matchedPrefix()));
    }

    /**
     * The engine's model in the proxy's terms. A prefix {@code rewrite.uri} replaces {@code matchedPrefix} ({@code /}
     * when the matching block had no uri condition); {@code derivePort: FROM_PROTOCOL_DEFAULT} with a scheme becomes
     * that scheme's default port; CORS origins become the proxy's strings ({@code *}, quoted exact and prefix
     * patterns, regexes).
     */
    static RouteExtras convert(HttpRouteExtras x, @Nullable String matchedPrefix) {
        if (x.isEmpty()) {
            return RouteExtras.NONE;
        }
        RouteExtras.Redirect redirect = x.redirect() == null ? null : redirect(x.redirect());
        RouteExtras.DirectResponse direct = x.directResponse() == null ? null
                : new RouteExtras.DirectResponse(x.directResponse().status(), x.directResponse().body());
        RouteExtras.Rewrite rewrite = x.rewrite() == null ? null : rewrite(x.rewrite(), matchedPrefix);
        HttpRouteExtras.Fault f = x.fault();
        RouteExtras.Fault fault = f == null ? null : new RouteExtras.Fault(
                f.delay() == null ? null : f.delay().fixedDelay(), f.delay() == null ? 0 : f.delay().percentage(),
                f.abort() == null ? 0 : f.abort().httpStatus(), f.abort() == null ? 0 : f.abort().percentage());
        RouteExtras.Mirror mirror = x.mirror() == null ? null : new RouteExtras.Mirror(x.mirror().host(),
                x.mirror().subset(), x.mirror().port(), x.mirror().percentage());
        HttpRouteExtras.CorsPolicy c = x.corsPolicy();
        RouteExtras.Cors cors = c == null ? null : new RouteExtras.Cors(
                c.allowOrigins().stream().map(EngineRouteExtras::origin).toList(), c.allowMethods(), c.allowHeaders(),
                c.exposeHeaders(), c.maxAge(), Boolean.TRUE.equals(c.allowCredentials()));
        return new RouteExtras(redirect, direct, rewrite, headers(x.requestHeaders()), headers(x.responseHeaders()),
                fault, mirror, cors);
    }

    private static RouteExtras.Redirect redirect(HttpRouteExtras.Redirect r) {
        Integer port = r.port();
        if (port == null && r.scheme() != null && "FROM_PROTOCOL_DEFAULT".equals(r.derivePort())) {
            port = r.scheme().equalsIgnoreCase("https") ? 443 : 80;
        }
        return new RouteExtras.Redirect(r.uri(), r.authority(), r.scheme(), port, r.redirectCode());
    }

    private static RouteExtras.Rewrite rewrite(HttpRouteExtras.Rewrite w, @Nullable String matchedPrefix) {
        Pattern regex = null;
        String substitution = null;
        if (w.uriRegexRewrite() != null) {
            try {
                regex = Pattern.compile(w.uriRegexRewrite().match());
                substitution = w.uriRegexRewrite().rewrite();
            } catch (PatternSyntaxException e) {
                regex = null; // the engine reports an invalid regex and rejects the configuration
            }
        }
        return new RouteExtras.Rewrite(w.uri(), matchedPrefix == null ? "/" : matchedPrefix, regex, substitution,
                w.authority());
    }

    private static RouteExtras.HeaderEdits headers(HeaderOperations h) {
        if (h.isEmpty()) {
            return RouteExtras.HeaderEdits.NONE;
        }
        List<String> remove = h.remove().stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        return new RouteExtras.HeaderEdits(h.set(), h.add(), remove);
    }

    private static String origin(OriginMatch o) {
        return switch (o.kind()) {
            case EXACT -> o.value().equals("*") ? "*" : Pattern.quote(o.value());
            case PREFIX -> Pattern.quote(o.value()) + ".*";
            case REGEX -> o.value();
        };
    }
}
