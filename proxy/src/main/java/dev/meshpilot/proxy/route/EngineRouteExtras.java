package dev.meshpilot.proxy.route;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.internal.CompiledSnapshot;
import dev.meshpilot.policy.internal.HttpExtras;
import dev.meshpilot.policy.internal.Net.HttpMatch;
import dev.meshpilot.policy.internal.Net.HttpRule;
import dev.meshpilot.policy.internal.Net.MatchType;
import dev.meshpilot.policy.internal.Net.StringMatch;
import dev.meshpilot.policy.internal.Net.VirtualServiceDef;
import dev.meshpilot.policy.internal.RequestMatcher;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.RouteDecision;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * The extras of the http rule a {@link RouteDecision} names ({@code virtualService} + {@code rule}), read from the
 * policy-engine's compiled rule. The engine's public {@code RouteDecision} does not carry them yet: this is the one
 * place that reads them from the compiled model, to be replaced by {@code decision.extras()} when the engine has it.
 * Converted once per snapshot and rule; only the matched prefix of a rewrite is found per request.
 */
final class EngineRouteExtras {

    private record Key(String virtualService, int rule) {}

    /** A rule's extras and its matches (to find which prefix matched, for a prefix rewrite). */
    private record Compiled(RouteExtras extras, List<HttpMatch> matches) {}

    private record Generation(@Nullable MeshSnapshot snapshot, ConcurrentMap<Key, Compiled> rules) {}

    private static final Compiled NONE = new Compiled(RouteExtras.NONE, List.of());

    private volatile Generation current = new Generation(null, new ConcurrentHashMap<>());

    /** The extras for {@code decision}; {@link RouteExtras#NONE} when no VirtualService rule decided. */
    RouteExtras of(MeshSnapshot snapshot, ProxyRef proxy, RequestAttributes request, RouteDecision decision) {
        String vs = decision.virtualService();
        if (vs == null || decision.rule() < 0 || !(snapshot instanceof CompiledSnapshot compiled)) {
            return RouteExtras.NONE;
        }
        Generation generation = current;
        if (generation.snapshot() != snapshot) {
            generation = new Generation(snapshot, new ConcurrentHashMap<>());
            current = generation;
        }
        Compiled rule = generation.rules().computeIfAbsent(new Key(vs, decision.rule()), k -> compile(compiled, k));
        RouteExtras.Rewrite rewrite = rule.extras().rewrite();
        if (rewrite == null || rewrite.uri() == null) {
            return rule.extras();
        }
        String prefix = matchedPrefix(rule.matches(), proxy, request);
        RouteExtras e = rule.extras();
        return new RouteExtras(e.redirect(), e.directResponse(), new RouteExtras.Rewrite(rewrite.uri(), prefix,
                rewrite.regex(), rewrite.substitution(), rewrite.authority()), e.request(), e.response(), e.fault(),
                e.mirror(), e.cors());
    }

    private static Compiled compile(CompiledSnapshot snapshot, Key key) {
        for (VirtualServiceDef vs : snapshot.model().virtualServices()) {
            if (vs.key().equals(key.virtualService())) {
                for (HttpRule rule : vs.http()) {
                    if (rule.index() == key.rule()) {
                        return new Compiled(convert(rule.extras()), rule.matches());
                    }
                }
            }
        }
        return NONE;
    }

    static RouteExtras convert(HttpExtras x) {
        if (x.equals(HttpExtras.NONE)) {
            return RouteExtras.NONE;
        }
        RouteExtras.Redirect redirect = x.redirect() == null ? null : new RouteExtras.Redirect(x.redirect().uri(),
                x.redirect().authority(), null, null, x.redirect().redirectCode());
        RouteExtras.DirectResponse direct = x.directResponse() == null ? null
                : new RouteExtras.DirectResponse(x.directResponse().status(), x.directResponse().body());
        RouteExtras.Rewrite rewrite = x.rewrite() == null ? null
                : new RouteExtras.Rewrite(x.rewrite().uri(), "/", null, null, x.rewrite().authority());
        RouteExtras.Fault fault = x.delay() == null && x.abort() == null ? null : new RouteExtras.Fault(
                x.delay() == null ? null : x.delay().fixedDelay(), x.delay() == null ? 0 : x.delay().percentage(),
                x.abort() == null ? 0 : x.abort().httpStatus(), x.abort() == null ? 0 : x.abort().percentage());
        RouteExtras.Mirror mirror = x.mirror() == null ? null : new RouteExtras.Mirror(x.mirror().host(),
                x.mirror().subset(), x.mirror().port(), x.mirror().percentage());
        RouteExtras.Cors cors = x.cors() == null ? null : new RouteExtras.Cors(x.cors().allowOrigins(),
                x.cors().allowMethods(), x.cors().allowHeaders(), x.cors().exposeHeaders(), x.cors().maxAge(),
                Boolean.TRUE.equals(x.cors().allowCredentials()));
        return new RouteExtras(redirect, direct, rewrite,
                new RouteExtras.HeaderEdits(x.requestSet(), x.requestAdd(), lower(x.requestRemove())),
                new RouteExtras.HeaderEdits(x.responseSet(), x.responseAdd(), lower(x.responseRemove())),
                fault, mirror, cors);
    }

    /**
     * The path prefix the matching block matched, as Envoy's prefix rewrite replaces it: a {@code prefix} match's
     * value, the whole path for an {@code exact} match, {@code /} for a block without a uri condition or a regex.
     */
    private static String matchedPrefix(List<HttpMatch> matches, ProxyRef proxy, RequestAttributes request) {
        String path = request.path();
        int q = path.indexOf('?');
        String bare = q < 0 ? path : path.substring(0, q);
        RequestMatcher matcher = new RequestMatcher(request, proxy, null);
        HttpMatch fallback = null;
        for (HttpMatch m : matches) {
            if (matcher.matches(m)) {
                return prefixOf(m.uri(), bare, m.ignoreUriCase());
            }
            if (fallback == null && m.uri() != null && uriMatches(m.uri(), bare, m.ignoreUriCase())) {
                fallback = m; // a gateway's block (its gateways condition is not known here)
            }
        }
        return fallback == null ? "/" : prefixOf(fallback.uri(), bare, fallback.ignoreUriCase());
    }

    private static String prefixOf(@Nullable StringMatch uri, String path, boolean ignoreCase) {
        if (uri == null || uri.type() == MatchType.REGEX) {
            return "/";
        }
        if (uri.type() == MatchType.EXACT) {
            return path;
        }
        return ignoreCase ? path.substring(0, Math.min(path.length(), uri.value().length())) : uri.value();
    }

    private static boolean uriMatches(StringMatch uri, String path, boolean ignoreCase) {
        return ignoreCase ? uri.lowerCase().test(path.toLowerCase(Locale.ROOT)) : uri.test(path);
    }

    private static List<String> lower(List<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    }
}
