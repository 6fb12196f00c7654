package dev.meshpilot.policy.diff;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.internal.CompiledSnapshot;
import dev.meshpilot.policy.internal.Durations;
import dev.meshpilot.policy.internal.MeshModel;
import dev.meshpilot.policy.internal.Net.HttpRule;
import dev.meshpilot.policy.internal.Net.VirtualServiceDef;
import dev.meshpilot.policy.route.RouteDecision;
import dev.meshpilot.policy.route.WeightedDestination;
import dev.meshpilot.policy.workload.ServiceSpec;
import dev.meshpilot.policy.workload.WorkloadSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What changed between two snapshots, in sentences for a review page:
 * {@code hello.example.com via helloworld-gateway: v1 90% → 70%, v2 10% → 30%}.
 */
public final class SnapshotDiff {
    private SnapshotDiff() {}

    public static List<String> describe(MeshSnapshot before, MeshSnapshot after) {
        requireNonNull(before, "before");
        requireNonNull(after, "after");
        List<String> out = new ArrayList<>();
        if (before instanceof CompiledSnapshot b && after instanceof CompiledSnapshot a) {
            virtualServices(b.model(), a.model(), out);
            named("Gateway", b.model().gateways().stream().map(g -> g.src().key()).toList(),
                    a.model().gateways().stream().map(g -> g.src().key()).toList(), out);
            named("DestinationRule", b.model().destinationRules().stream().map(d -> d.src().key()).toList(),
                    a.model().destinationRules().stream().map(d -> d.src().key()).toList(), out);
            subsets(b.model(), a.model(), out);
        }
        if (before.pathNormalization() != after.pathNormalization()) {
            out.add("mesh config pathNormalization: " + before.pathNormalization() + " → " + after.pathNormalization());
        }
        workloads(before.workloads(), after.workloads(), out);
        named("Service", before.services().stream().map(SnapshotDiff::key).toList(),
                after.services().stream().map(SnapshotDiff::key).toList(), out);
        return List.copyOf(out);
    }

    private static String key(ServiceSpec s) {
        return s.namespace() + "/" + s.name();
    }

    private static void virtualServices(MeshModel before, MeshModel after, List<String> out) {
        Map<String, VirtualServiceDef> old = byKey(before.virtualServices());
        Map<String, VirtualServiceDef> now = byKey(after.virtualServices());
        for (VirtualServiceDef vs : after.virtualServices()) {
            VirtualServiceDef prev = old.get(vs.key());
            if (prev == null) {
                out.add("VirtualService " + vs.key() + " added (" + where(vs) + ")");
                continue;
            }
            if (!prev.hosts().equals(vs.hosts()) || !prev.gateways().equals(vs.gateways()) || prev.mesh() != vs.mesh()) {
                out.add("VirtualService " + vs.key() + ": " + where(prev) + " → " + where(vs));
            }
            if (prev.http().size() != vs.http().size()) {
                out.add("VirtualService " + vs.key() + ": " + prev.http().size() + " http rules → " + vs.http().size());
            }
            for (int i = 0; i < Math.min(prev.http().size(), vs.http().size()); i++) {
                String change = rule(prev.http().get(i), vs.http().get(i));
                if (!change.isEmpty()) {
                    out.add(where(vs) + (vs.http().size() > 1 ? " rule " + i : "") + ": " + change);
                }
            }
        }
        for (VirtualServiceDef vs : before.virtualServices()) {
            if (!now.containsKey(vs.key())) {
                out.add("VirtualService " + vs.key() + " removed (" + where(vs) + ")");
            }
        }
    }

    private static String rule(HttpRule before, HttpRule after) {
        List<String> parts = new ArrayList<>();
        RouteDecision b = before.decision();
        RouteDecision a = after.decision();
        Map<String, Integer> old = weights(b.destinations());
        Map<String, Integer> now = weights(a.destinations());
        if (!old.equals(now)) {
            Set<String> labels = new LinkedHashSet<>(old.keySet());
            labels.addAll(now.keySet());
            for (String label : labels) {
                Integer o = old.get(label);
                Integer n = now.get(label);
                if (Objects.equals(o, n)) {
                    parts.add(label + " " + n + "%");
                } else if (o == null) {
                    parts.add(label + " added at " + n + "%");
                } else if (n == null) {
                    parts.add(label + " removed (was " + o + "%)");
                } else {
                    parts.add(label + " " + o + "% → " + n + "%");
                }
            }
        }
        if (!Objects.equals(b.timeout(), a.timeout())) {
            parts.add("timeout " + duration(b.timeout()) + " → " + duration(a.timeout()));
        }
        if (!Objects.equals(b.retries(), a.retries())) {
            parts.add("retries " + (b.retries() == null ? "none" : b.retries().attempts()) + " → "
                    + (a.retries() == null ? "none" : a.retries().attempts()));
        }
        if (!before.matches().equals(after.matches())) {
            parts.add("match conditions changed");
        }
        return String.join(", ", parts);
    }

    private static String duration(@Nullable Duration d) {
        return d == null ? "none" : Durations.format(d);
    }

    /** Destination label → weight: the subset, else the short host, plus the port when hosts repeat. */
    private static Map<String, Integer> weights(List<WeightedDestination> dests) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (WeightedDestination d : dests) {
            String label = d.subset() != null ? d.subset() : d.host().split("\\.")[0];
            out.merge(label, d.weight(), Integer::sum);
        }
        return out;
    }

    private static String where(VirtualServiceDef vs) {
        List<String> via = new ArrayList<>(vs.gateways().stream().map(g -> g.substring(g.indexOf('/') + 1)).toList());
        if (vs.mesh()) {
            via.add("mesh");
        }
        return String.join(", ", vs.hosts()) + " via " + String.join(", ", via);
    }

    private static void subsets(MeshModel before, MeshModel after, List<String> out) {
        Map<String, Set<String>> old = new LinkedHashMap<>();
        before.destinationRules().forEach(d -> old.put(d.src().key(), d.subsets().keySet()));
        for (var dr : after.destinationRules()) {
            Set<String> prev = old.get(dr.src().key());
            if (prev == null) {
                continue;
            }
            for (String s : dr.subsets().keySet()) {
                if (!prev.contains(s)) {
                    out.add("DestinationRule " + dr.src().key() + ": subset " + s + " added for " + dr.host());
                }
            }
            for (String s : prev) {
                if (!dr.subsets().containsKey(s)) {
                    out.add("DestinationRule " + dr.src().key() + ": subset " + s + " removed for " + dr.host());
                }
            }
        }
    }

    private static void workloads(List<WorkloadSpec> before, List<WorkloadSpec> after, List<String> out) {
        Map<String, WorkloadSpec> old = before.stream().collect(
                Collectors.toMap(WorkloadSpec::key, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        Set<String> now = after.stream().map(WorkloadSpec::key).collect(Collectors.toSet());
        for (WorkloadSpec w : after) {
            WorkloadSpec prev = old.get(w.key());
            if (prev == null) {
                out.add("Deployment " + w.key() + " added (" + w.replicas() + " replica" + (w.replicas() == 1 ? "" : "s")
                        + ", image " + w.image() + ")");
                continue;
            }
            if (prev.replicas() != w.replicas()) {
                out.add("Deployment " + w.key() + ": replicas " + prev.replicas() + " → " + w.replicas());
            }
            if (!prev.image().equals(w.image())) {
                out.add("Deployment " + w.key() + ": image " + prev.image() + " → " + w.image());
            }
            if (!prev.env().equals(w.env())) {
                out.add("Deployment " + w.key() + ": environment changed");
            }
            if (!prev.labels().equals(w.labels())) {
                out.add("Deployment " + w.key() + ": labels " + prev.labels() + " → " + w.labels());
            }
        }
        for (WorkloadSpec w : before) {
            if (!now.contains(w.key())) {
                out.add("Deployment " + w.key() + " removed");
            }
        }
    }

    private static void named(String kind, List<String> before, List<String> after, List<String> out) {
        for (String k : after) {
            if (!before.contains(k)) {
                out.add(kind + " " + k + " added");
            }
        }
        for (String k : before) {
            if (!after.contains(k)) {
                out.add(kind + " " + k + " removed");
            }
        }
    }

    private static Map<String, VirtualServiceDef> byKey(List<VirtualServiceDef> list) {
        Map<String, VirtualServiceDef> out = new LinkedHashMap<>();
        list.forEach(v -> out.putIfAbsent(v.key(), v));
        return out;
    }
}
