package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Sec.AuthorizationPolicyDef;
import dev.meshpilot.policy.internal.Sec.Source;
import dev.meshpilot.policy.security.MtlsMode;
import dev.meshpilot.policy.workload.EnvVar;
import dev.meshpilot.policy.workload.ServiceSpec;
import dev.meshpilot.policy.workload.WorkloadSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * mTLS sense: STRICT workloads called by Deployments without a sidecar ({@code MP0303}), and peer identities
 * (principals, namespaces) required where mTLS is DISABLE ({@code MP0304}).
 */
final class MtlsSenseChecks {
    private MtlsSenseChecks() {}

    static void check(MeshModel model, Findings findings) {
        MtlsPolicies mtls = new MtlsPolicies(model.peerAuthentications());
        for (WorkloadSpec w : model.workloads()) {
            if (!w.sidecarInjected() || mtls.mode(w.namespace(), w.labels(), 0) != MtlsMode.STRICT) {
                continue;
            }
            List<String> callers = new ArrayList<>();
            for (WorkloadSpec c : model.workloads()) {
                if (!c.sidecarInjected() && calls(c, w, model.services())) {
                    callers.add(c.key());
                }
            }
            Resource r = IdentityChecks.deployment(model, w);
            if (!callers.isEmpty() && r != null) {
                findings.warn("MP0303", r, Nodes.keyLine(Nodes.get(r.node(), "metadata"), "name"), "metadata.name",
                        "mTLS mode is STRICT and callers without a sidecar (" + String.join(", ", callers)
                                + ") cannot reach it under STRICT mTLS: inject a sidecar into them or set PERMISSIVE"
                                + " for this workload");
            }
        }
        Set<Resource> parsed = Collections.newSetFromMap(new IdentityHashMap<>());
        parsed.addAll(model.resources());
        for (AuthorizationPolicyDef ap : model.authorizationPolicies()) {
            if (!usesPeerIdentity(ap)) {
                continue;
            }
            List<String> disabled = new ArrayList<>();
            for (WorkloadSpec w : model.workloads()) {
                boolean inScope = ap.src().namespace().equals(LegacyConverter.ROOT_NAMESPACE)
                        || ap.src().namespace().equals(w.namespace());
                if (inScope && (ap.selector() == null || Authorizer.selects(ap.selector(), w.labels()))
                        && mtls.mode(w.namespace(), w.labels(), 0) == MtlsMode.DISABLE) {
                    disabled.add(w.key());
                }
            }
            if (disabled.isEmpty()) {
                continue;
            }
            String message = "principals need mTLS: the mTLS mode of " + String.join(", ", disabled)
                    + " is DISABLE, so the peer identity is unknown and the rule never matches; use STRICT or"
                    + " PERMISSIVE there, or match on something else";
            Resource at = parsed.contains(ap.src()) ? ap.src() : origin(model, ap.src());
            if (at == null) {
                continue;
            }
            String[] field = {at == ap.src() ? "spec.rules" : "spec.subjects"};
            findings.warn("MP0304", at, identityLine(at, field), field[0], message);
        }
    }

    private static boolean usesPeerIdentity(AuthorizationPolicyDef ap) {
        return ap.rules().stream().flatMap(r -> r.from().stream())
                .anyMatch((Source s) -> !s.principals().isAny() || !s.namespaces().isAny());
    }

    /** Line of the first principals/namespaces (or binding user/properties) entry; sets field[0] to its path. */
    private static int identityLine(Resource r, String[] field) {
        boolean binding = field[0].equals("spec.subjects");
        List<Node> outer = items(ConflictChecks.at(r.node(), field[0]));
        for (int i = 0; i < outer.size(); i++) {
            if (binding) {
                for (String key : List.of("user", "properties")) {
                    if (Nodes.get(outer.get(i), key) != null) {
                        field[0] = "spec.subjects[" + i + "]." + key;
                        return Nodes.keyLine(outer.get(i), key);
                    }
                }
                continue;
            }
            List<Node> from = items(Nodes.get(outer.get(i), "from"));
            for (int j = 0; j < from.size(); j++) {
                Node source = Nodes.get(from.get(j), "source");
                for (String key : List.of("principals", "namespaces")) {
                    if (Nodes.get(source, key) != null) {
                        field[0] = "spec.rules[" + i + "].from[" + j + "].source." + key;
                        return Nodes.keyLine(source, key);
                    }
                }
            }
        }
        return r.line();
    }

    private static @Nullable Resource origin(MeshModel model, Resource converted) {
        return model.converted().stream().map(LegacyConverter.Converted::origin)
                .filter(o -> o.kind().equals("ServiceRoleBinding") && o.file().equals(converted.file())
                        && o.line() == converted.line())
                .findFirst().orElse(null);
    }

    /** Whether the caller's NEXT variable names a Service that selects the callee. */
    private static boolean calls(WorkloadSpec caller, WorkloadSpec callee, List<ServiceSpec> services) {
        for (EnvVar e : caller.env()) {
            if (!e.name().equals("NEXT") || e.value() == null) {
                continue;
            }
            String fqdn = fqdn(e.value(), caller.namespace());
            for (ServiceSpec s : services) {
                if (s.fqdn().equals(fqdn) && s.namespace().equals(callee.namespace()) && !s.selector().isEmpty()
                        && Authorizer.selects(s.selector(), callee.labels())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Kubernetes DNS for a {@code [scheme://]host[:port][/path]} value from the caller's namespace. */
    static String fqdn(String value, String namespace) {
        String host = value.contains("://") ? value.substring(value.indexOf("://") + 3) : value;
        int cut = host.indexOf('/');
        host = cut < 0 ? host : host.substring(0, cut);
        cut = host.indexOf(':');
        host = (cut < 0 ? host : host.substring(0, cut)).toLowerCase(java.util.Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (!host.contains(".")) {
            return host + "." + namespace + ".svc.cluster.local";
        }
        if (host.chars().filter(ch -> ch == '.').count() == 1) {
            return host + ".svc.cluster.local";
        }
        return host.endsWith(".svc") ? host + ".cluster.local" : host;
    }

    private static List<Node> items(@Nullable Node node) {
        return node instanceof SequenceNode s ? s.getValue() : List.of();
    }
}
