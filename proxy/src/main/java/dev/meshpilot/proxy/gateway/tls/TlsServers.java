package dev.meshpilot.proxy.gateway.tls;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.gateway.GatewayServer;
import dev.meshpilot.proxy.gateway.ServerTls;
import dev.meshpilot.proxy.tls.ProxyIdentity;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.DefaultByteBufferPool;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.SslClientAuthMode;
import org.xnio.Xnio;

/**
 * Turns the TLS servers of one port into {@link TlsServer}s. A server whose certificate, key or CA cannot be loaded
 * does not start: its reason is logged and returned as a message; the other servers start.
 */
public final class TlsServers {

    private static final Logger LOG = LoggerFactory.getLogger(TlsServers.class);
    /** TLS record buffers; no per-thread cache (responses are written from short-lived virtual threads). */
    private static final DefaultByteBufferPool SSL_BUFFERS = new DefaultByteBufferPool(true, 17 * 1024, 1024, 0);
    private static final OptionMap CLIENT_CERTIFICATE_REQUIRED =
            OptionMap.create(Options.SSL_CLIENT_AUTH_MODE, SslClientAuthMode.REQUIRED);

    /** @param messages one line per server that did not start */
    public record Result(List<TlsServer> servers, List<String> messages) {
        public Result {
            servers = List.copyOf(servers);
            messages = List.copyOf(messages);
        }
    }

    private final Xnio xnio;
    private final GatewayCredentials credentials;
    private final @Nullable ProxyIdentity identity;

    /** @param identity the gateway's workload identity for ISTIO_MUTUAL servers; null: they are refused */
    public TlsServers(Xnio xnio, GatewayCredentials credentials, @Nullable ProxyIdentity identity) {
        this.xnio = requireNonNull(xnio, "xnio");
        this.credentials = requireNonNull(credentials, "credentials");
        this.identity = identity;
    }

    /** The servers of {@code all} on {@code port} whose protocol is HTTPS or TLS. */
    public Result build(List<GatewayServer> all, int port) {
        List<TlsServer> out = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        for (GatewayServer server : all) {
            if (server.port() != port || !server.isTls()) {
                continue;
            }
            try {
                out.add(build(server));
            } catch (CredentialException e) {
                LOG.warn("istio-ingressgateway: server not started: {}", e.getMessage());
                messages.add(e.getMessage() + " (server not started)");
            }
        }
        return new Result(out, messages);
    }

    private TlsServer build(GatewayServer server) throws CredentialException {
        ServerTls tls = server.tls();
        if (tls == null) {
            throw new CredentialException(server.where() + ": tls: missing (expected: a tls block on a "
                    + server.protocol() + " server)");
        }
        return switch (tls.mode()) {
            case ServerTls.PASSTHROUGH -> new TlsServer(server, null, OptionMap.EMPTY);
            case ServerTls.SIMPLE -> terminating(server, credentials.load(server), OptionMap.EMPTY);
            case ServerTls.MUTUAL -> terminating(server, credentials.load(server), CLIENT_CERTIFICATE_REQUIRED);
            case ServerTls.ISTIO_MUTUAL -> {
                if (identity == null) {
                    throw new CredentialException(server.where() + ": tls.mode: ISTIO_MUTUAL (the gateway has no "
                            + "workload identity)");
                }
                yield terminating(server, identity.serverContext(), CLIENT_CERTIFICATE_REQUIRED);
            }
            default -> throw new CredentialException(server.where() + ": tls.mode: " + tls.mode()
                    + " (expected: SIMPLE, MUTUAL, PASSTHROUGH or ISTIO_MUTUAL)");
        };
    }

    private TlsServer terminating(GatewayServer server, SSLContext context, OptionMap options) {
        return new TlsServer(server, new UndertowXnioSsl(xnio, OptionMap.EMPTY, SSL_BUFFERS, context), options);
    }
}
