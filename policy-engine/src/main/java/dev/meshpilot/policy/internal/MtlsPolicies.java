package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Sec.PeerAuthenticationDef;
import dev.meshpilot.policy.security.MtlsMode;
import java.util.List;
import java.util.Map;

/** PeerAuthentication lookup: workload (port level first) → namespace → mesh (root namespace) → PERMISSIVE. */
final class MtlsPolicies {
    private final List<PeerAuthenticationDef> policies;

    MtlsPolicies(List<PeerAuthenticationDef> policies) {
        this.policies = List.copyOf(policies);
    }

    MtlsMode mode(String namespace, Map<String, String> labels, int port) {
        for (PeerAuthenticationDef p : policies) {
            if (p.selector() != null && p.src().namespace().equals(namespace) && Authorizer.selects(p.selector(), labels)) {
                String portMode = p.portModes().get(port);
                if (portMode != null && !portMode.equals("UNSET")) {
                    return MtlsMode.valueOf(portMode);
                }
                if (!p.mode().equals("UNSET")) {
                    return MtlsMode.valueOf(p.mode());
                }
                break;
            }
        }
        for (String ns : new String[] {namespace, LegacyConverter.ROOT_NAMESPACE}) {
            for (PeerAuthenticationDef p : policies) {
                if (p.selector() == null && p.src().namespace().equals(ns) && !p.mode().equals("UNSET")) {
                    return MtlsMode.valueOf(p.mode());
                }
            }
        }
        return MtlsMode.PERMISSIVE;
    }
}
