package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.route.HttpRouteExtras.CorsPolicy;
import dev.meshpilot.policy.route.HttpRouteExtras.MatchKind;
import dev.meshpilot.policy.route.HttpRouteExtras.OriginMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/** An http rule's {@code corsPolicy}: v1's typed {@code allowOrigins} and v1alpha3's {@code allowOrigin} strings. */
final class CorsParser {
    private CorsParser() {}

    static @Nullable CorsPolicy parse(Fields f, Node rule, String path) {
        MappingNode c = f.map(rule, "corsPolicy", path, false);
        if (c == null) {
            return null;
        }
        List<OriginMatch> origins = new ArrayList<>();
        f.strings(c, "allowOrigin", path + ".allowOrigin").forEach(o -> origins.add(OriginMatch.exact(o)));
        List<Node> typed = f.list(c, "allowOrigins", path + ".allowOrigins", false);
        for (int i = 0; i < typed.size(); i++) {
            OriginMatch m = origin(f, typed.get(i), path + ".allowOrigins[" + i + "]");
            if (m != null) {
                origins.add(m);
            }
        }
        return new CorsPolicy(origins, f.strings(c, "allowMethods", path + ".allowMethods"),
                f.strings(c, "allowHeaders", path + ".allowHeaders"), f.strings(c, "exposeHeaders", path + ".exposeHeaders"),
                f.duration(c, "maxAge", path + ".maxAge"), f.bool(c, "allowCredentials", path + ".allowCredentials"));
    }

    private static @Nullable OriginMatch origin(Fields f, Node node, String path) {
        if (!(node instanceof MappingNode)) {
            f.error("MP0101", node, path, "expected a mapping, found " + Fields.describe(node));
            return null;
        }
        for (MatchKind kind : MatchKind.values()) {
            String key = kind.name().toLowerCase(java.util.Locale.ROOT);
            String value = f.str(node, key, path + "." + key, false);
            if (value == null) {
                continue;
            }
            if (kind == MatchKind.REGEX) {
                try {
                    Pattern.compile(value);
                } catch (PatternSyntaxException e) {
                    f.error("MP0103", Nodes.get(node, key), path + ".regex", "regex: " + value
                            + " (expected: a valid regular expression)");
                    return null;
                }
            }
            return new OriginMatch(kind, value);
        }
        f.error("MP0102", node, path, "required field is missing: exact, prefix or regex");
        return null;
    }
}
