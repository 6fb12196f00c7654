package dev.meshpilot.policy.internal;

import org.snakeyaml.engine.v2.nodes.MappingNode;

/**
 * One YAML document that names a resource: where it is, what it is, and its node tree.
 *
 * @param line 1-based line of the document's first key
 */
public record Resource(String file, int line, String apiVersion, String kind, String namespace, String name,
        MappingNode node) {

    /** {@code Kind namespace/name}, as findings name a resource. */
    public String id() {
        return kind + " " + key();
    }

    /** {@code namespace/name}. */
    public String key() {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }

    /** The API group: {@code networking.istio.io}, or empty for the core group. */
    public String group() {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }
}
