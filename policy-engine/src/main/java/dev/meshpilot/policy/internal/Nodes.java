package dev.meshpilot.policy.internal;

import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** Small helpers over snakeyaml-engine's node tree. */
public final class Nodes {
    private Nodes() {}

    /** 1-based line where the node starts, 0 when unknown. */
    public static int line(@Nullable Node node) {
        return node == null ? 0 : node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    /** The value node under {@code key}, or null when the node is not a mapping or lacks the key. */
    public static @Nullable Node get(@Nullable Node node, String key) {
        NodeTuple t = tuple(node, key);
        return t == null ? null : t.getValueNode();
    }

    /** The key/value pair for {@code key}, for the key's line. */
    public static @Nullable NodeTuple tuple(@Nullable Node node, String key) {
        if (!(node instanceof MappingNode map)) {
            return null;
        }
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return t;
            }
        }
        return null;
    }

    /** The line of the key {@code key} (where a user looks for the field), else of the node. */
    public static int keyLine(@Nullable Node node, String key) {
        NodeTuple t = tuple(node, key);
        return t == null ? line(node) : line(t.getKeyNode());
    }

    /** A scalar's text, or null for a null scalar or a non-scalar. */
    public static @Nullable String text(@Nullable Node node) {
        if (node instanceof ScalarNode s && !Tag.NULL.equals(s.getTag())) {
            return s.getValue();
        }
        return null;
    }

    public static boolean isNull(@Nullable Node node) {
        return node == null || (node instanceof ScalarNode s && Tag.NULL.equals(s.getTag()));
    }
}
