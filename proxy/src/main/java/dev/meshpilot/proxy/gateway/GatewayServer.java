package dev.meshpilot.proxy.gateway;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a Gateway's {@code spec.servers}, as the ingress gateway serves it.
 *
 * @param gateway   {@code namespace/name} of the Gateway
 * @param namespace the Gateway's namespace (where {@code credentialName} is looked up first)
 * @param index     the position in {@code spec.servers}
 * @param port      {@code port.number}
 * @param protocol  {@code port.protocol}, upper case ({@code HTTP} when absent)
 * @param hosts     {@code hosts} without their {@code namespace/} prefix, lower case
 * @param tls       {@code tls}, null when absent
 */
public record GatewayServer(String gateway, String namespace, int index, int port, String protocol,
        List<String> hosts, @Nullable ServerTls tls) {

    public GatewayServer {
        requireNonNull(gateway, "gateway");
        requireNonNull(namespace, "namespace");
        requireNonNull(protocol, "protocol");
        hosts = hosts.stream().map(h -> h.substring(h.indexOf('/') + 1).toLowerCase(Locale.ROOT)).toList();
    }

    /** {@code Gateway ns/name spec.servers[i]}, as messages name it. */
    public String where() {
        return "Gateway " + gateway + " spec.servers[" + index + "]";
    }

    /** Whether the server terminates or passes through TLS ({@code HTTPS} or {@code TLS} with a tls block). */
    public boolean isTls() {
        return protocol.equals("HTTPS") || protocol.equals("TLS");
    }

    /** Whether {@code host} (lower case, no port) matches one of the hosts: exact, {@code *}, or {@code *.suffix}. */
    public boolean matches(String host) {
        return specificity(host) >= 0;
    }

    /** How well {@code host} matches: exact beats the longest wildcard; -1 when no host matches. */
    public int specificity(String host) {
        int best = -1;
        for (String pattern : hosts) {
            int score = HostPatterns.specificity(pattern, host);
            best = Math.max(best, score);
        }
        return best;
    }
}
