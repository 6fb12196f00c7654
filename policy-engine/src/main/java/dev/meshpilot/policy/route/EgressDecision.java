package dev.meshpilot.policy.route;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * Whether a workload's outbound call to a host leaves its sidecar, and why.
 *
 * @param allowed   true when the call goes out (to a registry host, or passed through under ALLOW_ANY)
 * @param mode      the outbound traffic policy that applied: {@code ALLOW_ANY} or {@code REGISTRY_ONLY}
 * @param host      the host as the sidecar resolved it (FQDN for mesh services)
 * @param inRegistry true when the host is a Service or a ServiceEntry visible to the workload's namespace
 * @param sidecar   the Sidecar resource ({@code namespace/name}) that decided, null for the mesh default
 * @param reason    one sentence, e.g. {@code REGISTRY_ONLY: ifconfig.co is not in the service registry (Sidecar default/default)}
 */
public record EgressDecision(boolean allowed, String mode, String host, boolean inRegistry, @Nullable String sidecar,
        String reason) {

    public static final String ALLOW_ANY = "ALLOW_ANY";
    public static final String REGISTRY_ONLY = "REGISTRY_ONLY";

    public EgressDecision {
        requireNonNull(mode, "mode");
        requireNonNull(host, "host");
        requireNonNull(reason, "reason");
    }
}
