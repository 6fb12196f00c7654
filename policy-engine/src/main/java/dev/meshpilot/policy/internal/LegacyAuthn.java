package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.security.JwtRequirement;
import dev.meshpilot.policy.workload.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/**
 * The authentication policies of Istio 1.0–1.5 ({@code MeshPolicy}, {@code Policy}) as they applied: one policy per
 * workload, the most specific wins (a Policy targeting the workload's service, else its namespace's Policy without
 * targets, else the MeshPolicy). Its origins require a token unless {@code originIsOptional}; an origin with
 * {@code triggerRules} applies only to the paths they match.
 */
public final class LegacyAuthn {
    enum Scope { MESH, NAMESPACE, TARGET }

    enum MatchKind { EXACT, PREFIX, SUFFIX, REGEX }

    /** Istio 1.x StringMatch of a trigger rule path. */
    record PathMatch(MatchKind kind, String value, @Nullable Pattern regex) {
        boolean test(String path) {
            return switch (kind) {
                case EXACT -> path.equals(value);
                case PREFIX -> path.startsWith(value);
                case SUFFIX -> path.endsWith(value);
                case REGEX -> regex != null && regex.matcher(path).matches();
            };
        }
    }

    /** Satisfied when the path matches no excluded path and, if any are listed, one included path. */
    record Trigger(List<PathMatch> excluded, List<PathMatch> included) {
        boolean test(String path) {
            return excluded.stream().noneMatch(m -> m.test(path))
                    && (included.isEmpty() || included.stream().anyMatch(m -> m.test(path)));
        }
    }

    /** One jwt origin: applies to a path when it has no triggers or one of them is satisfied. */
    record Origin(String issuer, List<Trigger> triggers) {
        boolean appliesTo(String path) {
            return triggers.isEmpty() || triggers.stream().anyMatch(t -> t.test(path));
        }
    }

    record PolicyDef(Resource src, Scope scope, List<Map<String, String>> selectors, List<Origin> origins,
            boolean originIsOptional, boolean useOrigin) {}

    private final List<PolicyDef> policies;

    private LegacyAuthn(List<PolicyDef> policies) {
        this.policies = List.copyOf(policies);
    }

    static LegacyAuthn of(List<Resource> resources, List<ServiceSpec> services, Findings findings) {
        List<PolicyDef> out = new ArrayList<>();
        for (Resource r : resources) {
            if (r.group().equals("authentication.istio.io") && (r.kind().equals("Policy") || r.kind().equals("MeshPolicy"))) {
                out.add(parse(new Fields(r, findings), services));
            }
        }
        return new LegacyAuthn(out);
    }

    List<PolicyDef> policies() {
        return policies;
    }

    /** The policy that applied to a workload in Istio 1.x, if any. */
    Optional<PolicyDef> applying(String namespace, Map<String, String> labels) {
        PolicyDef best = null;
        for (PolicyDef p : policies) {
            boolean applies = switch (p.scope()) {
                case MESH -> true;
                case NAMESPACE -> p.src().namespace().equals(namespace);
                case TARGET -> p.src().namespace().equals(namespace)
                        && p.selectors().stream().anyMatch(s -> Authorizer.selects(s, labels));
            };
            if (applies && (best == null || p.scope().ordinal() > best.scope().ordinal())) {
                best = p;
            }
        }
        return Optional.ofNullable(best);
    }

    Optional<JwtRequirement> requirement(String namespace, Map<String, String> labels, String path) {
        PolicyDef p = applying(namespace, labels).orElse(null);
        if (p == null || p.originIsOptional()) {
            return Optional.empty();
        }
        int q = path.indexOf('?');
        String bare = q < 0 ? path : path.substring(0, q);
        List<String> issuers = p.origins().stream().filter(o -> o.appliesTo(bare)).map(Origin::issuer).distinct().toList();
        return issuers.isEmpty() ? Optional.empty()
                : Optional.of(new JwtRequirement(p.src().key(), issuers, p.useOrigin()));
    }

    private static PolicyDef parse(Fields f, List<ServiceSpec> services) {
        Resource r = f.resource();
        Node spec = Nodes.get(r.node(), "spec");
        List<Map<String, String>> selectors = new ArrayList<>();
        // targets and origins are read (and their types reported) by LegacyConverter; here only what it does not read.
        List<Node> targets = items(Nodes.get(spec, "targets"));
        for (Node t : targets) {
            String name = Nodes.text(Nodes.get(t, "name"));
            if (name != null) {
                selectors.add(LegacyConverter.selectorOf(name, r.namespace(), services, new Fields(r, new Findings()), t));
            }
        }
        Scope scope = r.kind().equals("MeshPolicy") ? Scope.MESH : targets.isEmpty() ? Scope.NAMESPACE : Scope.TARGET;
        List<Origin> origins = new ArrayList<>();
        List<Node> items = items(Nodes.get(spec, "origins"));
        for (int i = 0; i < items.size(); i++) {
            Node jwt = Nodes.get(items.get(i), "jwt");
            String issuer = Nodes.text(Nodes.get(jwt, "issuer"));
            if (issuer != null) {
                origins.add(new Origin(issuer, triggers(f, jwt, "spec.origins[" + i + "].jwt.triggerRules")));
            }
        }
        Boolean optional = spec == null ? null : f.bool(spec, "originIsOptional", "spec.originIsOptional");
        String binding = spec == null ? null : f.str(spec, "principalBinding", "spec.principalBinding", false);
        if (binding != null && !binding.equals("USE_PEER") && !binding.equals("USE_ORIGIN")) {
            f.error("MP0103", Nodes.get(spec, "principalBinding"), "spec.principalBinding",
                    "principalBinding: " + binding + " (expected: USE_PEER or USE_ORIGIN)");
        }
        if ("USE_ORIGIN".equals(binding) && origins.isEmpty()) {
            f.warn("MP0405", Nodes.get(spec, "principalBinding"), "spec.principalBinding",
                    "principalBinding USE_ORIGIN without jwt origins leaves requests without a principal; add an origin "
                            + "or use USE_PEER");
        }
        return new PolicyDef(r, scope, List.copyOf(selectors), List.copyOf(origins), optional != null && optional,
                "USE_ORIGIN".equals(binding));
    }

    private static List<Node> items(@Nullable Node node) {
        return node instanceof org.snakeyaml.engine.v2.nodes.SequenceNode s ? s.getValue() : List.of();
    }

    private static List<Trigger> triggers(Fields f, Node jwt, String path) {
        List<Trigger> out = new ArrayList<>();
        List<Node> rules = f.list(jwt, "triggerRules", path, false);
        for (int i = 0; i < rules.size(); i++) {
            String p = path + "[" + i + "]";
            out.add(new Trigger(paths(f, rules.get(i), "excludedPaths", p), paths(f, rules.get(i), "includedPaths", p)));
        }
        return List.copyOf(out);
    }

    private static List<PathMatch> paths(Fields f, Node rule, String key, String path) {
        List<PathMatch> out = new ArrayList<>();
        List<Node> items = f.list(rule, key, path + "." + key, false);
        for (int i = 0; i < items.size(); i++) {
            String p = path + "." + key + "[" + i + "]";
            PathMatch m = match(f, items.get(i), p);
            if (m != null) {
                out.add(m);
            }
        }
        return List.copyOf(out);
    }

    private static @Nullable PathMatch match(Fields f, Node item, String path) {
        if (!(item instanceof org.snakeyaml.engine.v2.nodes.MappingNode m) || m.getValue().size() != 1) {
            f.error("MP0101", item, path, "expected one of exact, prefix, suffix, regex, found " + Fields.describe(item));
            return null;
        }
        NodeTuple t = m.getValue().get(0);
        String kind = Nodes.text(t.getKeyNode());
        String value = Nodes.text(t.getValueNode());
        if (kind == null || value == null) {
            f.error("MP0101", item, path, "expected a string value");
            return null;
        }
        return switch (kind) {
            case "exact" -> new PathMatch(MatchKind.EXACT, value, null);
            case "prefix" -> new PathMatch(MatchKind.PREFIX, value, null);
            case "suffix" -> new PathMatch(MatchKind.SUFFIX, value, null);
            case "regex" -> {
                try {
                    yield new PathMatch(MatchKind.REGEX, value, Pattern.compile(value));
                } catch (PatternSyntaxException e) {
                    f.error("MP0103", t.getValueNode(), path + ".regex", "regex: " + value + " (expected: a valid "
                            + "regular expression: " + e.getDescription() + ")");
                    yield null;
                }
            }
            default -> {
                f.error("MP0103", t.getKeyNode(), path + "." + kind, kind + " (expected: exact, prefix, suffix or regex)");
                yield null;
            }
        };
    }
}
