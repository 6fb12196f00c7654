package dev.meshpilot.policy.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Typed reads of one resource's fields. A wrong type ({@code MP0101}), a missing required field
 * ({@code MP0102}) or a bad value ({@code MP0103}) becomes an ERROR finding at the field's line.
 */
public final class Fields {
    private final Resource resource;
    private final Findings findings;

    public Fields(Resource resource, Findings findings) {
        this.resource = resource;
        this.findings = findings;
    }

    public Resource resource() {
        return resource;
    }

    public void error(String code, @Nullable Node at, String path, String message) {
        findings.error(code, resource, Nodes.line(at), path, message);
    }

    public void warn(String code, @Nullable Node at, String path, String message) {
        findings.warn(code, resource, Nodes.line(at), path, message);
    }

    private @Nullable Node present(Node parent, String key, String path, boolean required) {
        Node n = Nodes.get(parent, key);
        if (Nodes.isNull(n)) {
            if (required) {
                error("MP0102", parent, path, "required field is missing");
            }
            return null;
        }
        return n;
    }

    public @Nullable MappingNode map(Node parent, String key, String path, boolean required) {
        Node n = present(parent, key, path, required);
        if (n == null) {
            return null;
        }
        if (n instanceof MappingNode m) {
            return m;
        }
        error("MP0101", n, path, "expected a mapping, found " + describe(n));
        return null;
    }

    public List<Node> list(Node parent, String key, String path, boolean required) {
        Node n = present(parent, key, path, required);
        if (n == null) {
            return List.of();
        }
        if (n instanceof SequenceNode s) {
            return s.getValue();
        }
        error("MP0101", n, path, "expected a list, found " + describe(n));
        return List.of();
    }

    public @Nullable String str(Node parent, String key, String path, boolean required) {
        Node n = present(parent, key, path, required);
        if (n == null) {
            return null;
        }
        if (n instanceof ScalarNode s) {
            return s.getValue();
        }
        error("MP0101", n, path, "expected a string, found " + describe(n));
        return null;
    }

    public @Nullable Integer integer(Node parent, String key, String path, boolean required) {
        Node n = present(parent, key, path, required);
        if (n == null) {
            return null;
        }
        Integer v = n instanceof ScalarNode s ? parseInt(s.getValue()) : null;
        if (v == null) {
            error("MP0101", n, path, "expected an integer, found " + describe(n));
        }
        return v;
    }

    public @Nullable Boolean bool(Node parent, String key, String path) {
        Node n = present(parent, key, path, false);
        if (n == null) {
            return null;
        }
        String t = n instanceof ScalarNode s ? s.getValue() : "";
        if (t.equals("true") || t.equals("false")) {
            return Boolean.valueOf(t);
        }
        error("MP0101", n, path, "expected true or false, found " + describe(n));
        return null;
    }

    public @Nullable Duration duration(Node parent, String key, String path) {
        String t = str(parent, key, path, false);
        if (t == null) {
            return null;
        }
        Duration d = Durations.parse(t);
        if (d == null) {
            error("MP0103", Nodes.get(parent, key), path, "duration: " + t + " (expected: like 10s, 500ms, 1m)");
        }
        return d;
    }

    public List<String> strings(Node parent, String key, String path) {
        List<String> out = new ArrayList<>();
        List<Node> items = list(parent, key, path, false);
        for (int i = 0; i < items.size(); i++) {
            Node n = items.get(i);
            if (n instanceof ScalarNode s) {
                out.add(s.getValue());
            } else {
                error("MP0101", n, path + "[" + i + "]", "expected a string, found " + describe(n));
            }
        }
        return out;
    }

    /** A string-to-string mapping such as labels; non-string values are reported. */
    public Map<String, String> stringMap(Node parent, String key, String path) {
        Map<String, String> out = new LinkedHashMap<>();
        MappingNode m = map(parent, key, path, false);
        if (m == null) {
            return out;
        }
        for (NodeTuple t : m.getValue()) {
            String k = Nodes.text(t.getKeyNode());
            if (k != null && t.getValueNode() instanceof ScalarNode v) {
                out.put(k, v.getValue());
            } else {
                error("MP0101", t.getValueNode(), path + "." + k, "expected a string, found " + describe(t.getValueNode()));
            }
        }
        return out;
    }

    public static @Nullable Integer parseInt(String s) {
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String describe(Node n) {
        if (n instanceof MappingNode) {
            return "a mapping";
        }
        if (n instanceof SequenceNode) {
            return "a list";
        }
        if (n instanceof ScalarNode s) {
            return Tag.NULL.equals(s.getTag()) ? "null" : "\"" + s.getValue() + "\"";
        }
        return n.getNodeType().toString();
    }
}
