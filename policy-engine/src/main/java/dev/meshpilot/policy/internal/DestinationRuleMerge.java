package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Net.DestinationRuleDef;
import dev.meshpilot.policy.internal.Net.SubsetDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Istio's merging of several DestinationRules for one host in one namespace (without workload selectors, with the same
 * exportTo): the first rule (file order) stays, the subsets of the later ones are added unless a subset of that name
 * exists already (the first definition wins), and the top-level trafficPolicy is the first one that is set. Rules with
 * a different exportTo stay separate.
 */
final class DestinationRuleMerge {
    /** A later rule's subset that lost to an earlier one of the same name. */
    record Shadowed(DestinationRuleDef rule, SubsetDef subset, DestinationRuleDef winner) {}

    /** A later rule's top-level trafficPolicy that lost to an earlier one. */
    record IgnoredPolicy(DestinationRuleDef rule, DestinationRuleDef winner) {}

    record Result(List<DestinationRuleDef> rules, List<Shadowed> shadowed, List<IgnoredPolicy> ignored) {}

    private DestinationRuleMerge() {}

    static Result merge(List<DestinationRuleDef> rules) {
        List<DestinationRuleDef> out = new ArrayList<>();
        List<Shadowed> shadowed = new ArrayList<>();
        List<IgnoredPolicy> ignored = new ArrayList<>();
        Map<String, Integer> index = new LinkedHashMap<>();
        Map<String, DestinationRuleDef> policySource = new LinkedHashMap<>();
        for (DestinationRuleDef dr : rules) {
            String key = dr.src().namespace() + " " + dr.host() + " " + exportSet(dr);
            Integer at = index.get(key);
            if (at == null) {
                index.put(key, out.size());
                out.add(dr);
                if (hasPolicy(dr)) {
                    policySource.put(key, dr);
                }
                continue;
            }
            DestinationRuleDef merged = out.get(at);
            Map<String, SubsetDef> subsets = new LinkedHashMap<>(merged.subsets());
            for (SubsetDef s : dr.subsets().values()) {
                if (subsets.putIfAbsent(s.name(), s) != null) {
                    shadowed.add(new Shadowed(dr, s, owner(rules, merged, dr, s.name())));
                }
            }
            TrafficPolicyParser.Parsed policy = merged.policy();
            if (hasPolicy(dr)) {
                DestinationRuleDef winner = policySource.get(key);
                if (winner == null) {
                    policySource.put(key, dr);
                    policy = dr.policy();
                } else {
                    ignored.add(new IgnoredPolicy(dr, winner));
                }
            }
            out.set(at, new DestinationRuleDef(merged.src(), merged.host(), java.util.Collections.unmodifiableMap(subsets),
                    merged.exportTo(), policy));
        }
        return new Result(List.copyOf(out), List.copyOf(shadowed), List.copyOf(ignored));
    }

    static boolean hasPolicy(DestinationRuleDef dr) {
        return Nodes.get(Nodes.get(dr.src().node(), "spec"), "trafficPolicy") != null;
    }

    /** exportTo as a set, {@code .} standing for the rule's namespace and empty for {@code *}. */
    private static Set<String> exportSet(DestinationRuleDef dr) {
        Set<String> out = new TreeSet<>();
        for (String e : dr.exportTo()) {
            out.add(e.equals(".") ? dr.src().namespace() : e);
        }
        out.remove("*");
        return out;
    }

    private static DestinationRuleDef owner(List<DestinationRuleDef> all, DestinationRuleDef merged, DestinationRuleDef upTo,
            String subset) {
        for (DestinationRuleDef dr : all) {
            if (dr == upTo) {
                break;
            }
            if (dr.src().namespace().equals(merged.src().namespace()) && dr.host().equals(merged.host())
                    && dr.subsets().containsKey(subset)) {
                return dr;
            }
        }
        return merged;
    }

    static @Nullable DestinationRuleDef first(List<DestinationRuleDef> rules, DestinationRuleDef dr) {
        for (DestinationRuleDef other : rules) {
            if (other == dr) {
                return null;
            }
            if (other.src().namespace().equals(dr.src().namespace()) && other.host().equals(dr.host())) {
                return other;
            }
        }
        return null;
    }
}
