package dev.meshpilot.policy.edit;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.internal.Nodes;
import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Rewrites the weights of one http route in place: only the weight values change; comments, key order
 * and every other line stay byte-identical. A destination without a {@code weight:} gets one, on a new
 * line after its last line.
 */
public final class RouteWeightEditor {
    private RouteWeightEditor() {}

    /**
     * @param yaml               the whole file (may hold several documents)
     * @param virtualServiceName the VirtualService's {@code metadata.name}
     * @param rule               index in {@code spec.http}
     * @param weights            one weight per destination, 0..100, adding up to 100
     * @throws IllegalArgumentException when the file, VirtualService, rule or weights do not fit
     */
    public static String setWeights(String yaml, String virtualServiceName, int rule, List<Integer> weights) {
        requireNonNull(yaml, "yaml");
        requireNonNull(virtualServiceName, "virtualServiceName");
        weights = List.copyOf(weights);
        int sum = 0;
        for (int w : weights) {
            if (w < 0 || w > 100) {
                throw new IllegalArgumentException("weight: " + w + " (expected: 0..100)");
            }
            sum += w;
        }
        if (sum != 100) {
            throw new IllegalArgumentException("weights: " + weights + " add up to " + sum + " (expected: 100)");
        }
        List<Node> routes = routes(yaml, virtualServiceName, rule);
        if (routes.size() != weights.size()) {
            throw new IllegalArgumentException("weights: " + weights.size() + " values (expected: " + routes.size()
                    + ", one per destination of spec.http[" + rule + "])");
        }
        List<Edit> edits = new ArrayList<>();
        Lines lines = new Lines(yaml);
        for (int i = 0; i < routes.size(); i++) {
            Node item = routes.get(i);
            if (!(item instanceof MappingNode map)) {
                throw new IllegalArgumentException("spec.http[" + rule + "].route[" + i + "] is not a mapping");
            }
            Node weight = Nodes.get(map, "weight");
            String value = Integer.toString(weights.get(i));
            if (weight != null) {
                int start = lines.offset(weight.getStartMark().orElseThrow());
                int end = lines.offset(weight.getEndMark().orElseThrow());
                edits.add(new Edit(start, end, value));
            } else {
                edits.add(insertion(map, lines, value, rule, i));
            }
        }
        StringBuilder out = new StringBuilder(yaml);
        edits.sort((a, b) -> Integer.compare(b.start(), a.start()));
        for (Edit e : edits) {
            out.replace(e.start(), e.end(), e.text());
        }
        return out.toString();
    }

    private record Edit(int start, int end, String text) {}

    private static Edit insertion(MappingNode item, Lines lines, String value, int rule, int i) {
        if (item.getFlowStyle() == FlowStyle.FLOW || item.getValue().isEmpty()) {
            throw new IllegalArgumentException("spec.http[" + rule + "].route[" + i
                    + "] is written in flow style without a weight; add a weight to it by hand first");
        }
        int column = item.getValue().get(0).getKeyNode().getStartMark().orElseThrow().getColumn();
        int lastLine = lastLine(item);
        int at = lines.endOfLine(lastLine);
        String newline = yamlNewline(lines.text());
        String insert = newline + " ".repeat(column) + "weight: " + value;
        return new Edit(at, at, insert);
    }

    /** 0-based line of the last character that belongs to the node. */
    private static int lastLine(Node node) {
        if (node instanceof MappingNode m && !m.getValue().isEmpty() && m.getFlowStyle() != FlowStyle.FLOW) {
            NodeTuple last = m.getValue().get(m.getValue().size() - 1);
            return lastLine(last.getValueNode());
        }
        if (node instanceof SequenceNode s && !s.getValue().isEmpty() && s.getFlowStyle() != FlowStyle.FLOW) {
            return lastLine(s.getValue().get(s.getValue().size() - 1));
        }
        Mark end = node.getEndMark().orElseThrow();
        Mark start = node.getStartMark().orElseThrow();
        // A scalar's end mark sits just after it; at column 0 it belongs to the line before.
        return end.getColumn() == 0 && end.getLine() > start.getLine() ? end.getLine() - 1 : end.getLine();
    }

    private static String yamlNewline(String text) {
        return text.contains("\r\n") ? "\r\n" : "\n";
    }

    private static List<Node> routes(String yaml, String name, int rule) {
        Compose compose = new Compose(LoadSettings.builder().build());
        List<Node> docs = new ArrayList<>();
        try {
            compose.composeAllFromString(yaml).forEach(docs::add);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("yaml: not valid YAML (" + e.getMessage().lines().findFirst().orElse("")
                    + ")", e);
        }
        for (Node doc : docs) {
            if (!"VirtualService".equals(Nodes.text(Nodes.get(doc, "kind")))
                    || !name.equals(Nodes.text(Nodes.get(Nodes.get(doc, "metadata"), "name")))) {
                continue;
            }
            Node http = Nodes.get(Nodes.get(doc, "spec"), "http");
            if (!(http instanceof SequenceNode rules) || rule < 0 || rule >= rules.getValue().size()) {
                throw new IllegalArgumentException("rule: " + rule + " (expected: an index of spec.http of VirtualService "
                        + name + ")");
            }
            Node route = Nodes.get(rules.getValue().get(rule), "route");
            if (!(route instanceof SequenceNode r)) {
                throw new IllegalArgumentException("spec.http[" + rule + "] of VirtualService " + name + " has no route");
            }
            return r.getValue();
        }
        throw new IllegalArgumentException("virtualServiceName: " + name + " (expected: a VirtualService in this file)");
    }

    /** Line starts of the text, to turn (line, code-point column) marks into char offsets. */
    private static final class Lines {
        private final String text;
        private final List<Integer> starts = new ArrayList<>();

        Lines(String text) {
            this.text = text;
            starts.add(0);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                    starts.add(i + 1);
                }
            }
        }

        String text() {
            return text;
        }

        int offset(Mark mark) {
            int start = starts.get(Math.min(mark.getLine(), starts.size() - 1));
            return text.offsetByCodePoints(start, mark.getColumn());
        }

        int endOfLine(int line) {
            int i = starts.get(Math.min(line, starts.size() - 1));
            while (i < text.length() && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                i++;
            }
            return i;
        }
    }
}
