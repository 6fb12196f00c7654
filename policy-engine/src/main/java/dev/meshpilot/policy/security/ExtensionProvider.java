package dev.meshpilot.policy.security;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An external authorizer of the mesh config ({@code extensionProviders} of {@code meshConfig}: the {@code mesh} key of
 * ConfigMap {@code istio-system/istio}) that CUSTOM AuthorizationPolicies name.
 *
 * @param name                         the provider's name, as {@code spec.provider.name} names it
 * @param kind                         {@code envoyExtAuthzHttp} (HTTP) or {@code envoyExtAuthzGrpc} (GRPC)
 * @param service                      the authorizer's host as written: FQDN or {@code namespace/host}
 * @param port                         the authorizer's port
 * @param timeout                      how long to wait for the check, null for Istio's default of 600s
 * @param pathPrefix                   HTTP only: prefix added to the checked request's path, null for none
 * @param failOpen                     true: the request passes when the authorizer cannot be reached
 * @param statusOnError                the status returned when the authorizer cannot be reached (default 403)
 * @param includeRequestHeadersInCheck HTTP only: request headers sent to the authorizer (lower case)
 * @param headersToUpstreamOnAllow     HTTP only: authorizer response headers copied to the request when allowed
 * @param headersToDownstreamOnDeny    HTTP only: authorizer response headers copied to the client's response when denied
 */
public record ExtensionProvider(String name, Kind kind, String service, int port, @Nullable Duration timeout,
        @Nullable String pathPrefix, boolean failOpen, int statusOnError, List<String> includeRequestHeadersInCheck,
        List<String> headersToUpstreamOnAllow, List<String> headersToDownstreamOnDeny) {

    /** The protocol spoken with the authorizer. */
    public enum Kind { HTTP, GRPC }

    public ExtensionProvider {
        requireNonNull(name, "name");
        requireNonNull(kind, "kind");
        requireNonNull(service, "service");
        includeRequestHeadersInCheck = List.copyOf(includeRequestHeadersInCheck);
        headersToUpstreamOnAllow = List.copyOf(headersToUpstreamOnAllow);
        headersToDownstreamOnDeny = List.copyOf(headersToDownstreamOnDeny);
    }
}
