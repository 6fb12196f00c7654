package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.Severity;
import dev.meshpilot.policy.SourceFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Splits YAML files into resources. Reports syntax errors ({@code MP0001}), documents that are not
 * resources ({@code MP0002}), unknown kinds ({@code MP0003}, a warning) and duplicates ({@code MP0004}).
 */
public final class ResourceLoader {

    /** Kinds the engine understands, by API group. */
    public static final Map<String, Set<String>> KNOWN = Map.of(
            "", Set.of("Namespace", "Service", "ServiceAccount", "ConfigMap", "Secret"),
            "apps", Set.of("Deployment"),
            "extensions", Set.of("Deployment"),
            "networking.istio.io", Set.of("Gateway", "VirtualService", "DestinationRule", "ServiceEntry", "Sidecar"),
            "security.istio.io", Set.of("PeerAuthentication", "AuthorizationPolicy", "RequestAuthentication"),
            "authentication.istio.io", Set.of("MeshPolicy", "Policy"),
            "rbac.istio.io", Set.of("RbacConfig", "ClusterRbacConfig", "ServiceRole", "ServiceRoleBinding"));

    /** Kinds without a namespace. */
    public static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "MeshPolicy", "RbacConfig", "ClusterRbacConfig");

    private ResourceLoader() {}

    public static List<Resource> load(List<SourceFile> files, Findings findings) {
        List<Resource> out = new ArrayList<>();
        Map<String, Resource> seen = new HashMap<>();
        for (SourceFile file : files) {
            for (Resource r : loadFile(file, findings)) {
                if (!KNOWN.getOrDefault(r.group(), Set.of()).contains(r.kind())) {
                    findings.add("MP0003", Severity.WARNING, r.file(), r.line(), r.id(), "kind",
                            "kind " + r.kind() + " of " + r.apiVersion()
                                    + " is not understood by meshpilot and is ignored");
                    continue;
                }
                String identity = r.group() + "|" + r.kind() + "|" + r.key();
                Resource before = seen.putIfAbsent(identity, r);
                if (before != null) {
                    findings.add("MP0004", Severity.ERROR, r.file(), r.line(), r.id(), "metadata.name",
                            "defined twice: also at " + before.file() + ":" + before.line()
                                    + " (rename one or delete it)");
                    continue;
                }
                out.add(r);
            }
        }
        return out;
    }

    static List<Resource> loadFile(SourceFile file, Findings findings) {
        List<Resource> out = new ArrayList<>();
        try {
            Compose compose = new Compose(LoadSettings.builder().setLabel(file.path()).build());
            Iterator<Node> docs = compose.composeAllFromString(file.content()).iterator();
            while (docs.hasNext()) {
                Node doc = docs.next();
                Resource r = header(file.path(), doc, findings);
                if (r != null) {
                    out.add(r);
                }
            }
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(0);
            String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
            findings.add("MP0001", Severity.ERROR, file.path(), line, null, null,
                    "YAML syntax error: " + problem + (e.getContext() == null ? "" : " (" + e.getContext() + ")"));
        } catch (RuntimeException e) {
            findings.add("MP0001", Severity.ERROR, file.path(), 0, null, null,
                    "YAML syntax error: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        return out;
    }

    private static Resource header(String path, Node doc, Findings findings) {
        if (Nodes.isNull(doc)) {
            return null;
        }
        int line = Nodes.line(doc);
        if (!(doc instanceof MappingNode map)) {
            findings.add("MP0002", Severity.ERROR, path, line, null, null,
                    "a document must be a mapping with apiVersion, kind and metadata, found " + Fields.describe(doc));
            return null;
        }
        String apiVersion = Nodes.text(Nodes.get(map, "apiVersion"));
        String kind = Nodes.text(Nodes.get(map, "kind"));
        Node metadata = Nodes.get(map, "metadata");
        String name = Nodes.text(Nodes.get(metadata, "name"));
        String ns = Nodes.text(Nodes.get(metadata, "namespace"));
        if (apiVersion == null && kind == null) {
            findings.add("MP0005", Severity.WARNING, path, line, null, null, "not a Kubernetes resource (no apiVersion "
                    + "and kind, such as a Helm values file): ignored");
            return null;
        }
        if (apiVersion == null || kind == null) {
            findings.add("MP0102", Severity.ERROR, path, line, null, apiVersion == null ? "apiVersion" : "kind",
                    "required field is missing: every resource needs apiVersion and kind");
            return null;
        }
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        if ((name == null || name.isBlank()) && !KNOWN.getOrDefault(group, Set.of()).contains(kind)) {
            findings.add("MP0003", Severity.WARNING, path, line, kind + " " + (ns == null ? "default" : ns) + "/?", "kind",
                    "kind " + kind + " of " + apiVersion + " is not understood by meshpilot and is ignored");
            return null;
        }
        if (name == null || name.isBlank()) {
            findings.add("MP0102", Severity.ERROR, path, Nodes.line(metadata == null ? doc : metadata),
                    kind + " " + (ns == null ? "default" : ns) + "/?", "metadata.name", "required field is missing");
            return null;
        }
        String namespace = ns == null || ns.isBlank() ? "default" : ns;
        if (CLUSTER_SCOPED.contains(kind)) {
            namespace = "";
        }
        return new Resource(path, line, apiVersion, kind, namespace, name, map);
    }
}
