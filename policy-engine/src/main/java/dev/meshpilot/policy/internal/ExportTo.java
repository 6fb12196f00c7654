package dev.meshpilot.policy.internal;

import java.util.List;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Istio's {@code exportTo} visibility: empty or {@code *} exports to every namespace, {@code .} to the resource's own
 * namespace, {@code ~} to none, any other value to that namespace. A VirtualService or ServiceEntry exported only to
 * other namespaces is not visible in its own; a DestinationRule always is (Istio keeps it namespace-local).
 */
final class ExportTo {
    static final String ANNOTATION = "networking.istio.io/exportTo";
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private ExportTo() {}

    /** Reads {@code spec.exportTo}, reporting values that are not {@code .}, {@code *}, {@code ~} or a namespace. */
    static List<String> read(Fields f, Node spec) {
        List<String> values = f.strings(spec, "exportTo", "spec.exportTo");
        Node at = Nodes.get(spec, "exportTo");
        for (String v : values) {
            if (!v.equals(".") && !v.equals("*") && !v.equals("~") && !NAMESPACE.matcher(v).matches()) {
                f.error("MP0103", at, "spec.exportTo", "exportTo: " + v + " (expected: ., *, ~ or a namespace name)");
            }
        }
        if (values.size() > 1 && (values.contains("*") || values.contains("~"))) {
            f.error("MP0103", at, "spec.exportTo", "exportTo: " + values + " (expected: * or ~ alone)");
        }
        return values;
    }

    /** The {@code networking.istio.io/exportTo} annotation of a Service (comma separated), reported like spec.exportTo. */
    static List<String> annotation(Fields f) {
        Node annotations = Nodes.get(Nodes.get(f.resource().node(), "metadata"), "annotations");
        Node value = Nodes.get(annotations, ANNOTATION);
        String text = Nodes.text(value);
        if (text == null) {
            return List.of();
        }
        List<String> values = java.util.Arrays.stream(text.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
        String path = "metadata.annotations." + ANNOTATION;
        for (String v : values) {
            if (!v.equals(".") && !v.equals("*") && !v.equals("~") && !NAMESPACE.matcher(v).matches()) {
                f.error("MP0103", value, path, "exportTo: " + v + " (expected: ., *, ~ or a namespace name)");
            }
        }
        if (values.size() > 1 && (values.contains("*") || values.contains("~"))) {
            f.error("MP0103", value, path, "exportTo: " + text + " (expected: * or ~ alone)");
        }
        return values;
    }

    static boolean visible(List<String> exportTo, String ownNamespace, String clientNamespace) {
        if (exportTo.isEmpty() || exportTo.contains("*")) {
            return true;
        }
        if (exportTo.contains("~")) {
            return false;
        }
        if (exportTo.contains(clientNamespace)) {
            return true;
        }
        return exportTo.contains(".") && ownNamespace.equals(clientNamespace);
    }

    /** DestinationRule visibility: always in its own namespace, elsewhere by exportTo. */
    static boolean visibleRule(List<String> exportTo, String ownNamespace, String clientNamespace) {
        return ownNamespace.equals(clientNamespace) || visible(exportTo, ownNamespace, clientNamespace);
    }
}
