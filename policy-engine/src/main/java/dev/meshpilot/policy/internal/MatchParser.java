package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Net.HttpMatch;
import dev.meshpilot.policy.internal.Net.MatchType;
import dev.meshpilot.policy.internal.Net.StringMatch;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/** Parses HTTPMatchRequest blocks and StringMatch values. */
public final class MatchParser {
    private MatchParser() {}

    public static @Nullable HttpMatch parse(Fields f, Node node, String path) {
        if (!(node instanceof MappingNode)) {
            f.error("MP0101", node, path, "expected a mapping, found " + Fields.describe(node));
            return null;
        }
        Integer port = f.integer(node, "port", path + ".port", false);
        Boolean ignoreCase = f.bool(node, "ignoreUriCase", path + ".ignoreUriCase");
        return new HttpMatch(f.str(node, "name", path + ".name", false),
                string(f, node, "uri", path), Boolean.TRUE.equals(ignoreCase),
                string(f, node, "scheme", path), string(f, node, "method", path), string(f, node, "authority", path),
                stringMap(f, node, "headers", path, true), stringMap(f, node, "withoutHeaders", path, true),
                stringMap(f, node, "queryParams", path, false), port == null ? 0 : port,
                f.stringMap(node, "sourceLabels", path + ".sourceLabels"),
                f.str(node, "sourceNamespace", path + ".sourceNamespace", false),
                f.strings(node, "gateways", path + ".gateways"));
    }

    static @Nullable StringMatch string(Fields f, Node parent, String key, String path) {
        MappingNode m = f.map(parent, key, path + "." + key, false);
        return m == null ? null : stringMatch(f, m, path + "." + key);
    }

    static @Nullable StringMatch stringMatch(Fields f, MappingNode m, String path) {
        for (String type : new String[] {"exact", "prefix", "regex"}) {
            String v = f.str(m, type, path + "." + type, false);
            if (v == null) {
                continue;
            }
            if (type.equals("regex")) {
                try {
                    return new StringMatch(MatchType.REGEX, v, Pattern.compile(v));
                } catch (PatternSyntaxException e) {
                    f.error("MP0103", Nodes.get(m, type), path + ".regex",
                            "regex: " + v + " (expected: a valid regular expression; " + e.getDescription() + ")");
                    return null;
                }
            }
            return new StringMatch(type.equals("exact") ? MatchType.EXACT : MatchType.PREFIX, v, null);
        }
        if (m.getValue().isEmpty()) {
            return null;
        }
        f.error("MP0103", m, path, "expected one of exact, prefix or regex");
        return null;
    }

    private static Map<String, StringMatch> stringMap(Fields f, Node parent, String key, String path, boolean lower) {
        Map<String, StringMatch> out = new LinkedHashMap<>();
        MappingNode m = f.map(parent, key, path + "." + key, false);
        if (m == null) {
            return out;
        }
        for (NodeTuple t : m.getValue()) {
            String name = Nodes.text(t.getKeyNode());
            if (name == null) {
                continue;
            }
            String p = path + "." + key + "." + name;
            if (t.getValueNode() instanceof MappingNode v) {
                StringMatch sm = stringMatch(f, v, p);
                // An empty match ({}) only requires presence: a prefix of "" does that.
                out.put(lower ? name.toLowerCase(Locale.ROOT) : name,
                        sm == null ? new StringMatch(MatchType.PREFIX, "", null) : sm);
            } else {
                f.error("MP0101", t.getValueNode(), p, "expected a mapping with exact, prefix or regex, found "
                        + Fields.describe(t.getValueNode()));
            }
        }
        return out;
    }
}
