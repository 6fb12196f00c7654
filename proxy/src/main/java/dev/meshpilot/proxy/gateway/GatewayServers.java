package dev.meshpilot.proxy.gateway;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ProxyRef;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The servers of the Gateways that select a gateway proxy, with their {@code tls} blocks, taken from the
 * policy-engine's public model ({@link MeshSnapshot#gatewayServers}) and turned into what the gateway serves.
 */
public final class GatewayServers {

    private GatewayServers() {}

    /** Every server of every Gateway whose selector selects {@code proxy}, in file order. */
    public static List<GatewayServer> of(MeshSnapshot snapshot, ProxyRef proxy) {
        requireNonNull(snapshot, "snapshot");
        requireNonNull(proxy, "proxy");
        return snapshot.gatewayServers(proxy).stream().map(GatewayServers::server).toList();
    }

    private static GatewayServer server(dev.meshpilot.policy.route.GatewayServer s) {
        return new GatewayServer(s.gateway(), s.namespace(), s.index(), s.portNumber(), s.protocol(), s.hosts(),
                tls(s.tls()));
    }

    /** A tls block without {@code mode} is served as SIMPLE. */
    private static @Nullable ServerTls tls(dev.meshpilot.policy.route.@Nullable ServerTls tls) {
        if (tls == null) {
            return null;
        }
        return new ServerTls(tls.mode() == null ? ServerTls.SIMPLE : tls.mode().name(), tls.httpsRedirect(),
                tls.serverCertificate(), tls.privateKey(), tls.caCertificates(), tls.credentialName());
    }
}
