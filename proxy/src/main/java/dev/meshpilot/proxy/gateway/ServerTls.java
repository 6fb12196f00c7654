package dev.meshpilot.proxy.gateway;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A Gateway server's {@code tls} block (Istio's ServerTLSSettings).
 *
 * @param mode              {@code SIMPLE}, {@code MUTUAL}, {@code PASSTHROUGH}, {@code ISTIO_MUTUAL} (upper case;
 *                          {@code SIMPLE} when absent)
 * @param httpsRedirect     on an HTTP server: answer 301 to {@code https}
 * @param serverCertificate path of the PEM certificate chain, or null
 * @param privateKey        path of the PEM private key, or null
 * @param caCertificates    path of the PEM CA certificates that verify client certificates (MUTUAL), or null
 * @param credentialName    name of the credential directory ({@code <data>/credentials/<namespace>/<name>/}), or null
 */
public record ServerTls(String mode, boolean httpsRedirect, @Nullable String serverCertificate,
        @Nullable String privateKey, @Nullable String caCertificates, @Nullable String credentialName) {

    public static final String SIMPLE = "SIMPLE";
    public static final String MUTUAL = "MUTUAL";
    public static final String PASSTHROUGH = "PASSTHROUGH";
    public static final String ISTIO_MUTUAL = "ISTIO_MUTUAL";

    public ServerTls {
        requireNonNull(mode, "mode");
    }
}
