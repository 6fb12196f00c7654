package dev.meshpilot.sync.kube;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.sync.SyncTarget;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies every object of a commit's YAML to a Kubernetes cluster and prunes the objects Meshpilot manages that Git
 * no longer has. Each written object carries the label {@code app.kubernetes.io/managed-by: meshpilot} and the
 * annotations {@code meshpilot.dev/commit} (the commit that last changed it) and {@code meshpilot.dev/desired-hash};
 * an object whose live copy already has the desired hash is not written again. Order is make-before-break (see
 * {@link ManagedKind}). {@link #watchDrift} repairs objects changed or deleted behind Meshpilot's back.
 */
public final class KubernetesTarget implements SyncTarget {

    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "meshpilot";
    public static final String COMMIT_ANNOTATION = "meshpilot.dev/commit";
    public static final String HASH_ANNOTATION = "meshpilot.dev/desired-hash";

    private static final Logger log = LoggerFactory.getLogger(KubernetesTarget.class);

    private final KubernetesClient client;
    private final KubeApplier applier;
    private final String defaultNamespace;
    private final Map<String, HasMetadata> desired = new LinkedHashMap<>();
    private final Map<String, String> writtenVersions = new HashMap<>();
    private volatile @Nullable KubeApplyResult lastResult;

    /** A target that puts objects without a namespace into {@code default}. */
    public KubernetesTarget(KubernetesClient client, KubeApplier applier) {
        this(client, applier, "default");
    }

    public KubernetesTarget(KubernetesClient client, KubeApplier applier, String defaultNamespace) {
        this.client = requireNonNull(client, "client");
        this.applier = requireNonNull(applier, "applier");
        this.defaultNamespace = requireNonNull(defaultNamespace, "defaultNamespace");
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    /** Always fails: this target applies the commit's YAML, see {@link #apply(MeshSnapshot, List)}. */
    @Override
    public void apply(MeshSnapshot snapshot) {
        throw new UnsupportedOperationException("kubernetes applies the commit's YAML files: call apply(snapshot, files)");
    }

    @Override
    public void apply(MeshSnapshot snapshot, List<SourceFile> files) {
        sync(snapshot.version(), files);
    }

    /** The outcome of the last successful {@link #sync}. */
    public Optional<KubeApplyResult> lastResult() {
        return Optional.ofNullable(lastResult);
    }

    /** Applies the objects of {@code files} as commit {@code version}, then prunes managed objects not among them. */
    public synchronized KubeApplyResult sync(String version, List<SourceFile> files) {
        requireNonNull(version, "version");
        KubernetesSerialization serialization = client.getKubernetesSerialization();
        List<HasMetadata> objects = new ArrayList<>(Manifests.read(serialization, files, defaultNamespace));
        objects.sort(Comparator.comparingInt(object -> ManagedKind.rankOf(object.getKind())));
        Map<String, HasMetadata> byKey = new LinkedHashMap<>();
        for (HasMetadata object : objects) {
            if (byKey.put(Manifests.key(object), object) != null) {
                throw new IllegalArgumentException(Manifests.describe(object) + ": defined twice");
            }
        }
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (Map.Entry<String, HasMetadata> entry : byKey.entrySet()) {
            HasMetadata object = entry.getValue();
            String hash = Manifests.hash(serialization, object);
            mark(object, version, hash);
            HasMetadata live = client.resource(object).get();
            if (live != null && hash.equals(annotation(live, HASH_ANNOTATION)) && managed(live)) {
                mark(object, requireNonNull(annotation(live, COMMIT_ANNOTATION), COMMIT_ANNOTATION), hash);
                writtenVersions.put(entry.getKey(), live.getMetadata().getResourceVersion());
                unchanged.add(Manifests.describe(object));
                continue;
            }
            write(entry.getKey(), object);
            (live == null ? created : updated).add(Manifests.describe(object));
        }
        desired.clear();
        desired.putAll(byKey);
        writtenVersions.keySet().retainAll(byKey.keySet());
        List<String> pruned = prune(byKey.keySet(), objects);
        KubeApplyResult result = new KubeApplyResult(version, created, updated, unchanged, pruned);
        log.info("kubernetes: {} at {} via {}", result, version, applier);
        lastResult = result;
        return result;
    }

    /**
     * Watches every managed kind the cluster serves (fabric8 informers: list, then watch, re-listing and
     * re-watching after a disconnect) and writes the desired state back when an object Meshpilot applied is
     * changed or deleted by someone else. {@code onRepair} gets the repaired objects ({@code Kind ns/name}).
     */
    public DriftWatch watchDrift(Consumer<List<String>> onRepair) {
        Map<ManagedKind, FilterWatchListDeletable<? extends HasMetadata, ?, ?>> watched = new LinkedHashMap<>();
        synchronized (this) {
            for (ManagedKind kind : kinds(desired.values())) {
                FilterWatchListDeletable<? extends HasMetadata, ?, ?> operation = managedObjects(kind);
                if (operation != null) {
                    watched.put(kind, operation);
                }
            }
        }
        return new DriftWatch(watched, this::repair, requireNonNull(onRepair, "onRepair"));
    }

    /** Writes back those of {@code keys} whose live object is missing or not at the version Meshpilot wrote. */
    synchronized List<String> repair(Set<String> keys) {
        List<String> repaired = new ArrayList<>();
        for (String key : keys) {
            HasMetadata object = desired.get(key);
            if (object == null) {
                continue;
            }
            HasMetadata live = client.resource(object).get();
            String liveVersion = live == null ? null : live.getMetadata().getResourceVersion();
            if (liveVersion == null || !liveVersion.equals(writtenVersions.get(key))) {
                write(key, object);
                repaired.add(Manifests.describe(object));
            }
        }
        if (!repaired.isEmpty()) {
            log.warn("kubernetes: repaired drift of {}", repaired);
        }
        return repaired;
    }

    private void write(String key, HasMetadata object) {
        HasMetadata copy = client.getKubernetesSerialization().clone(object);
        HasMetadata stored = applier.apply(client, copy);
        writtenVersions.put(key, stored.getMetadata().getResourceVersion());
    }

    private List<String> prune(Set<String> keep, List<HasMetadata> objects) {
        List<String> pruned = new ArrayList<>();
        for (ManagedKind kind : kinds(objects)) {
            FilterWatchListDeletable<? extends HasMetadata, ?, ?> operation = managedObjects(kind);
            if (operation == null) {
                continue;
            }
            KubernetesResourceList<? extends HasMetadata> list =
                    (KubernetesResourceList<? extends HasMetadata>) operation.list();
            for (HasMetadata live : list.getItems()) {
                if (!keep.contains(Manifests.key(kind.group(), kind.kind(), live))) {
                    live.setApiVersion(kind.apiVersion());
                    if (live instanceof GenericKubernetesResource generic) {
                        generic.setKind(kind.kind());
                    }
                    client.resource(live).delete();
                    pruned.add(kind.kind() + " " + live.getMetadata().getNamespace() + "/" + live.getMetadata().getName());
                }
            }
        }
        return pruned;
    }

    /** Every known kind plus the kinds of {@code objects}, in prune order (routes first, namespaces last). */
    private static List<ManagedKind> kinds(Iterable<HasMetadata> objects) {
        Map<String, ManagedKind> kinds = new HashMap<>();
        for (ManagedKind kind : ManagedKind.KNOWN) {
            kinds.put(kind.group() + "/" + kind.kind(), kind);
        }
        for (HasMetadata object : objects) {
            ManagedKind kind = new ManagedKind(object.getApiVersion(), object.getKind(),
                    ManagedKind.rankOf(object.getKind()));
            kinds.put(kind.group() + "/" + kind.kind(), kind);
        }
        return kinds.values().stream()
                .sorted(Comparator.comparingInt(ManagedKind::rank).reversed().thenComparing(ManagedKind::kind))
                .toList();
    }

    /** The objects of a kind labelled as Meshpilot's, or null when the cluster does not serve the kind. */
    @SuppressWarnings("unchecked")
    private @Nullable FilterWatchListDeletable<? extends HasMetadata, ?, ?> managedObjects(ManagedKind kind) {
        Class<? extends KubernetesResource> type = client.getKubernetesSerialization()
                .getRegisteredKubernetesResource(kind.apiVersion(), kind.kind());
        if (type != null && HasMetadata.class.isAssignableFrom(type)) {
            return client.resources((Class<HasMetadata>) type).inAnyNamespace().withLabel(MANAGED_BY_LABEL, MANAGED_BY);
        }
        if (!client.supports(kind.apiVersion(), kind.kind())) {
            return null;
        }
        return client.genericKubernetesResources(kind.apiVersion(), kind.kind()).inAnyNamespace()
                .withLabel(MANAGED_BY_LABEL, MANAGED_BY);
    }

    private static void mark(HasMetadata object, String version, String hash) {
        Map<String, String> labels = new LinkedHashMap<>(
                object.getMetadata().getLabels() == null ? Map.of() : object.getMetadata().getLabels());
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        object.getMetadata().setLabels(labels);
        Map<String, String> annotations = new LinkedHashMap<>(
                object.getMetadata().getAnnotations() == null ? Map.of() : object.getMetadata().getAnnotations());
        annotations.put(COMMIT_ANNOTATION, version);
        annotations.put(HASH_ANNOTATION, hash);
        object.getMetadata().setAnnotations(annotations);
    }

    private static boolean managed(HasMetadata live) {
        Map<String, String> labels = live.getMetadata().getLabels();
        return labels != null && MANAGED_BY.equals(labels.get(MANAGED_BY_LABEL));
    }

    private static @Nullable String annotation(HasMetadata live, String name) {
        Map<String, String> annotations = live.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(name);
    }
}
