package dev.meshpilot.policy.security;

import static java.util.Objects.requireNonNull;

/**
 * A request that a CUSTOM AuthorizationPolicy sends to an external authorizer before any DENY or ALLOW policy is
 * evaluated: the data plane asks {@code provider}; when it denies, the request is denied (its status, 403 by
 * default); when it allows, {@code MeshSnapshot#authorize} decides as usual.
 *
 * @param policy   {@code namespace/name} of the CUSTOM policy whose rules matched
 * @param provider the mesh config's extension provider it names
 */
public record CustomAuthorization(String policy, ExtensionProvider provider) {
    public CustomAuthorization {
        requireNonNull(policy, "policy");
        requireNonNull(provider, "provider");
    }
}
