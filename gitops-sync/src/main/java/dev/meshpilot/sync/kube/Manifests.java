package dev.meshpilot.sync.kube;

import dev.meshpilot.policy.SourceFile;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/** Reads the Kubernetes objects of a commit's YAML files and identifies them. */
final class Manifests {

    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---[ \\t]*(#.*)?$");

    private Manifests() {}

    /** Every object of every file, namespaced ones defaulted to {@code defaultNamespace}. */
    static List<HasMetadata> read(KubernetesSerialization serialization, List<SourceFile> files,
                                  String defaultNamespace) {
        List<HasMetadata> objects = new ArrayList<>();
        for (SourceFile file : files) {
            for (String document : DOCUMENT_SEPARATOR.split(file.content())) {
                if (document.lines().allMatch(line -> line.isBlank() || line.strip().startsWith("#"))) {
                    continue;
                }
                KubernetesResource parsed = serialization.unmarshal(document);
                if (!(parsed instanceof HasMetadata object) || object.getMetadata() == null
                        || object.getMetadata().getName() == null) {
                    throw new IllegalArgumentException(file.path() + ": a document without kind or metadata.name");
                }
                if (!ManagedKind.clusterScoped(object.getKind()) && object.getMetadata().getNamespace() == null) {
                    object.getMetadata().setNamespace(defaultNamespace);
                }
                objects.add(object);
            }
        }
        return objects;
    }

    /** {@code group/Kind/namespace/name}: the identity of an object across API versions. */
    static String key(HasMetadata object) {
        return key(groupOf(object.getApiVersion()), object.getKind(), object);
    }

    /** The key of a live object listed or watched as {@code kind} (list items may lack apiVersion and kind). */
    static String key(String group, String kind, HasMetadata object) {
        String namespace = object.getMetadata().getNamespace();
        return group + "/" + kind + "/" + (namespace == null ? "" : namespace) + "/" + object.getMetadata().getName();
    }

    /** API group of an apiVersion, empty for the core group. */
    static String groupOf(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /** {@code Kind namespace/name}, as in findings and status messages. */
    static String describe(HasMetadata object) {
        String namespace = object.getMetadata().getNamespace();
        return object.getKind() + " " + (namespace == null ? "" : namespace + "/") + object.getMetadata().getName();
    }

    /** SHA-256 of the object's JSON: equal for equal desired state. */
    static String hash(KubernetesSerialization serialization, HasMetadata object) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(serialization.asJson(object).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
