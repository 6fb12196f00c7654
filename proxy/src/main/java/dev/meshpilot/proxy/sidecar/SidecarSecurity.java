package dev.meshpilot.proxy.sidecar;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.jwt.JwtSettings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What a sidecar's inbound enforcement needs from the mesh around it.
 *
 * @param operatorToken the mesh's operator token for {@code x-meshpilot-debug}, null when the feature is off
 * @param gateway       the ingress gateway's address (JWKS of hosts only a gateway serves), null while none runs
 * @param jwt           JWT verification limits (JWKS timeout, cache, clock skew, token size)
 * @param credentials   where DestinationRule {@code tls.credentialName}s (TLS origination, MUTUAL) are looked up:
 *                      {@code <data>/credentials/<namespace>/<name>/}; null: a credentialName cannot be used
 */
public record SidecarSecurity(@Nullable String operatorToken, Supplier<@Nullable InetSocketAddress> gateway,
        JwtSettings jwt, @Nullable Path credentials) {

    /** No operator token, no gateway, default JWT limits. */
    public static final SidecarSecurity DEFAULTS = new SidecarSecurity(null, () -> null, JwtSettings.DEFAULTS);

    public SidecarSecurity {
        requireNonNull(gateway, "gateway");
        requireNonNull(jwt, "jwt");
    }

    /** No credentials directory. */
    public SidecarSecurity(@Nullable String operatorToken, Supplier<@Nullable InetSocketAddress> gateway,
            JwtSettings jwt) {
        this(operatorToken, gateway, jwt, null);
    }
}
