package dev.meshpilot.policy.security;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What an authorization decision looks at in one request arriving at a workload.
 *
 * @param sourcePrincipal the peer's mTLS identity ({@code cluster.local/ns/default/sa/hello}), null without mTLS
 * @param sourceNamespace the peer's namespace, null without mTLS
 * @param sourceIp        the peer's address, null when unknown
 * @param host            the request's host (authority without port)
 * @param path            the path, with or without query
 * @param port            the destination port at the workload
 * @param headers         header names in lower case
 * @param claims          the validated JWT's claims, empty when the request carries no valid token
 */
public record AuthzRequest(@Nullable String sourcePrincipal, @Nullable String sourceNamespace, @Nullable String sourceIp,
        String host, String method, String path, int port, Map<String, List<String>> headers, Map<String, Object> claims) {

    public AuthzRequest {
        requireNonNull(host, "host");
        requireNonNull(method, "method");
        requireNonNull(path, "path");
        TreeMap<String, List<String>> lower = new TreeMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        headers = Map.copyOf(lower);
        claims = Map.copyOf(claims);
    }

    /** {@code iss/sub} of the token, as AuthorizationPolicy's requestPrincipals name it; null without a token. */
    public @Nullable String requestPrincipal() {
        Object iss = claims.get("iss");
        Object sub = claims.get("sub");
        return iss == null || sub == null ? null : iss + "/" + sub;
    }

    public @Nullable String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
