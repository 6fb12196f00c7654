package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Sec.AuthorizationPolicyDef;
import dev.meshpilot.policy.internal.Sec.Condition;
import dev.meshpilot.policy.internal.Sec.Operation;
import dev.meshpilot.policy.internal.Sec.Rule;
import dev.meshpilot.policy.internal.Sec.Source;
import dev.meshpilot.policy.security.AuthorizationDecision;
import dev.meshpilot.policy.security.AuthzRequest;
import dev.meshpilot.policy.security.CustomAuthorization;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Istio's authorization: CUSTOM first (a matching request goes to the external authorizer, which the data plane asks;
 * a policy whose provider Istio cannot use denies the requests it matches), then DENY (any match denies), then ALLOW
 * (when any ALLOW policy applies, one must match), AUDIT never decides, nor does a policy annotated
 * {@code istio.io/dry-run: "true"} (Istio evaluates it in shadow mode only). Policies apply from the root
 * namespace (mesh), the workload's namespace, and by selector. The policies of one workload are looked
 * up once and cached.
 */
final class Authorizer {
    /** Whether a policy takes part for a workload beyond namespace and selector (see {@link MeshModel#governs}). */
    interface Governs {
        boolean test(Resource policy, String namespace, Map<String, String> labels);
    }

    private final List<AuthorizationPolicyDef> policies;
    private final MeshConfig meshConfig;
    private final Governs governs;
    private final Map<Resource, Resource> legacyOrigins;
    private final Map<String, List<AuthorizationPolicyDef>> byWorkload = new ConcurrentHashMap<>();

    /** @param legacyOrigins the removed resource each converted policy comes from (for the decision's label) */
    Authorizer(List<AuthorizationPolicyDef> policies, MeshConfig meshConfig, Governs governs,
            Map<Resource, Resource> legacyOrigins) {
        this.policies = List.copyOf(policies);
        this.meshConfig = meshConfig;
        this.governs = governs;
        this.legacyOrigins = Map.copyOf(legacyOrigins);
    }

    /** The CUSTOM check a request needs: its workload's CUSTOM policies name one usable provider and one matches. */
    Optional<CustomAuthorization> custom(String namespace, Map<String, String> labels, AuthzRequest request) {
        List<AuthorizationPolicyDef> applicable = applicableTo(namespace, labels);
        Set<String> providers = providers(applicable);
        for (AuthorizationPolicyDef p : applicable) {
            if (p.action().equals("CUSTOM") && unusable(p, providers) == null && matches(p, request)) {
                return Optional.of(new CustomAuthorization(p.src().key(), meshConfig.providers().get(p.provider())));
            }
        }
        return Optional.empty();
    }

    private static Set<String> providers(List<AuthorizationPolicyDef> applicable) {
        Set<String> out = new TreeSet<>();
        applicable.stream().filter(p -> p.action().equals("CUSTOM") && p.provider() != null).forEach(p -> out.add(p.provider()));
        return out;
    }

    /** Why Istio cannot use a CUSTOM policy's provider for this workload, null when it can. */
    private @Nullable String unusable(AuthorizationPolicyDef p, Set<String> providers) {
        if (p.provider() == null) {
            return "CUSTOM policy " + p.src().key() + " names no provider";
        }
        if (providers.size() > 1) {
            return "the workload's CUSTOM policies name " + providers.size() + " providers " + providers
                    + " and Istio uses one per workload";
        }
        String invalid = meshConfig.invalid().get(p.provider());
        if (invalid != null) {
            return "extension provider " + p.provider() + " cannot be used: " + invalid;
        }
        if (!meshConfig.providers().containsKey(p.provider())) {
            return "provider \"" + p.provider() + "\" is not an extensionProvider of the mesh config (ConfigMap "
                    + "istio-system/istio, data.mesh)";
        }
        return null;
    }

    private List<AuthorizationPolicyDef> applicableTo(String namespace, Map<String, String> labels) {
        return byWorkload.computeIfAbsent(namespace + "|" + labels, k -> applicable(namespace, labels));
    }

    AuthorizationDecision authorize(String namespace, Map<String, String> labels, AuthzRequest request) {
        List<AuthorizationPolicyDef> applicable = applicableTo(namespace, labels);
        if (applicable.isEmpty()) {
            return AuthorizationDecision.allowedWithoutPolicy();
        }
        Set<String> providers = null;
        for (AuthorizationPolicyDef p : applicable) {
            if (p.action().equals("CUSTOM")) {
                providers = providers == null ? providers(applicable) : providers;
                String why = unusable(p, providers);
                int rule = why == null ? -1 : matchingRule(p, request);
                if (rule >= 0) {
                    return decision(false, p, rule, "denied by CUSTOM policy " + p.src().key() + ": " + why
                            + ", so Istio denies the requests its rules match");
                }
            }
        }
        for (AuthorizationPolicyDef p : applicable) {
            int rule = p.action().equals("DENY") ? matchingRule(p, request) : -1;
            if (rule >= 0) {
                return decision(false, p, rule, "denied by DENY policy " + p.src().key());
            }
        }
        AuthorizationPolicyDef firstAllow = null;
        for (AuthorizationPolicyDef p : applicable) {
            if (!p.action().equals("ALLOW")) {
                continue;
            }
            int rule = matchingRule(p, request);
            if (rule >= 0) {
                return decision(true, p, rule, "allowed by ALLOW policy " + p.src().key());
            }
            if (firstAllow == null || (p.rules().isEmpty() && !firstAllow.rules().isEmpty())) {
                firstAllow = p;
            }
        }
        if (firstAllow != null) {
            return decision(false, firstAllow, -1, firstAllow.rules().isEmpty()
                    ? "denied: ALLOW policy " + firstAllow.src().key() + " has no rules (deny all) and no other ALLOW policy matched"
                    : "denied: no ALLOW policy matched the request");
        }
        return new AuthorizationDecision(true, null, null, "no DENY policy matched and no ALLOW policy applies");
    }

    private AuthorizationDecision decision(boolean allowed, AuthorizationPolicyDef p, int rule, String reason) {
        Resource origin = legacyOrigins.get(p.src());
        return new AuthorizationDecision(allowed, p.src().key(), p.action(), reason, rule < 0 ? null : rule,
                origin == null ? null : origin.kind() + " " + origin.key());
    }

    private List<AuthorizationPolicyDef> applicable(String namespace, Map<String, String> labels) {
        List<AuthorizationPolicyDef> out = new ArrayList<>();
        for (AuthorizationPolicyDef p : policies) {
            if (p.dryRun() || !governs.test(p.src(), namespace, labels)) {
                continue;
            }
            String ns = p.src().namespace();
            boolean applies = p.selector() == null
                    ? ns.equals(namespace) || ns.equals(LegacyConverter.ROOT_NAMESPACE)
                    : (ns.equals(namespace) || ns.equals(LegacyConverter.ROOT_NAMESPACE)) && selects(p.selector(), labels);
            if (applies) {
                out.add(p);
            }
        }
        return List.copyOf(out);
    }

    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static boolean matches(AuthorizationPolicyDef p, AuthzRequest request) {
        return matchingRule(p, request) >= 0;
    }

    /** The index of the first rule of the policy that matches the request, -1 when none does. */
    static int matchingRule(AuthorizationPolicyDef p, AuthzRequest request) {
        List<Rule> rules = p.rules();
        for (int i = 0; i < rules.size(); i++) {
            if (matches(rules.get(i), request)) {
                return i;
            }
        }
        return -1;
    }

    static boolean matches(Rule rule, AuthzRequest req) {
        if (!rule.from().isEmpty() && rule.from().stream().noneMatch(s -> matches(s, req))) {
            return false;
        }
        if (!rule.to().isEmpty() && rule.to().stream().noneMatch(o -> matches(o, req))) {
            return false;
        }
        for (Condition c : rule.when()) {
            if (!matches(c, req)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(Source s, AuthzRequest req) {
        return s.principals().test(req.sourcePrincipal()) && s.requestPrincipals().test(req.requestPrincipal())
                && s.namespaces().test(req.sourceNamespace()) && ip(s.ipBlocks(), req.sourceIp())
                && ip(s.remoteIpBlocks(), req.sourceIp());
    }

    private static boolean matches(Operation o, AuthzRequest req) {
        String path = req.path().contains("?") ? req.path().substring(0, req.path().indexOf('?')) : req.path();
        return o.hosts().test(req.host().toLowerCase(Locale.ROOT)) && o.ports().test(Integer.toString(req.port()))
                && o.methods().test(req.method()) && o.paths().test(path);
    }

    private static boolean ip(Sec.Values blocks, @Nullable String ip) {
        if (blocks.isAny()) {
            return true;
        }
        if (ip == null) {
            return false;
        }
        boolean in = blocks.in().isEmpty() || blocks.in().stream().anyMatch(b -> Cidr.contains(b, ip));
        return in && blocks.notIn().stream().noneMatch(b -> Cidr.contains(b, ip));
    }

    private static boolean matches(Condition c, AuthzRequest req) {
        List<String> actual = Conditions.values(c.key(), req);
        if (!c.values().isEmpty() && actual.stream().noneMatch(a -> c.values().stream().anyMatch(v -> valueMatch(c.key(), v, a)))) {
            return false;
        }
        return actual.stream().noneMatch(a -> c.notValues().stream().anyMatch(v -> valueMatch(c.key(), v, a)));
    }

    private static boolean valueMatch(String key, String pattern, String actual) {
        if (key.equals("source.ip") || key.equals("remote.ip") || key.equals("destination.ip")) {
            return Cidr.contains(pattern, actual);
        }
        return Sec.Values.matches(pattern, actual);
    }
}
