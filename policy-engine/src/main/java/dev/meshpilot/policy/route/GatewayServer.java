package dev.meshpilot.policy.route;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a Gateway's {@code spec.servers}, as an ingress gateway serves it.
 *
 * @param gateway    {@code namespace/name} of the Gateway
 * @param index      the position in {@code spec.servers}
 * @param portNumber {@code port.number}
 * @param portName   {@code port.name}, null when not written
 * @param protocol   {@code port.protocol}, upper case ({@code HTTP} when not written)
 * @param hosts      {@code hosts} as written (with their {@code namespace/} prefix when they have one), lower case
 * @param tls        {@code tls}, null when not written
 * @param file       the repository file that declares the Gateway
 * @param line       1-based line of the server in {@code file}
 */
public record GatewayServer(String gateway, int index, int portNumber, @Nullable String portName, String protocol,
        List<String> hosts, @Nullable ServerTls tls, String file, int line) {

    public GatewayServer {
        requireNonNull(gateway, "gateway");
        requireNonNull(protocol, "protocol");
        hosts = List.copyOf(hosts);
        requireNonNull(file, "file");
    }

    /** The Gateway's namespace (where its {@code credentialName} Secrets are looked up). */
    public String namespace() {
        int slash = gateway.indexOf('/');
        return slash < 0 ? "" : gateway.substring(0, slash);
    }

    /** The Gateway's name. */
    public String name() {
        return gateway.substring(gateway.indexOf('/') + 1);
    }
}
