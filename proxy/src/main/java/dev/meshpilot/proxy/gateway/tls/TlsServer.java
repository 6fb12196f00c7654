package dev.meshpilot.proxy.gateway.tls;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.gateway.GatewayServer;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.xnio.OptionMap;

/**
 * A Gateway server ready on the HTTPS port: terminating ({@code ssl} set, with the client-certificate options) or
 * PASSTHROUGH ({@code ssl} null).
 */
public record TlsServer(GatewayServer server, @Nullable UndertowXnioSsl ssl, OptionMap options) {

    public TlsServer {
        requireNonNull(server, "server");
        requireNonNull(options, "options");
    }

    public boolean passthrough() {
        return ssl == null;
    }

    /**
     * The server for a ClientHello's SNI: the most specific host match (exact beats the longest wildcard, {@code *}
     * last; first in file order on a tie); without SNI only a {@code *} server. Null when none matches.
     */
    public static @Nullable TlsServer select(List<TlsServer> servers, @Nullable String sni) {
        String host = sni == null ? "" : sni;
        TlsServer best = null;
        int bestScore = -1;
        for (TlsServer s : servers) {
            int score = s.server().specificity(host);
            if (score > bestScore) {
                best = s;
                bestScore = score;
            }
        }
        return best;
    }
}
