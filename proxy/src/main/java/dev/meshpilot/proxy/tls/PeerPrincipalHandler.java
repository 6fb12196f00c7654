package dev.meshpilot.proxy.tls;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.identity.PeerPrincipal;
import dev.meshpilot.proxy.identity.SpiffeId;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.SSLSessionInfo;
import io.undertow.server.ServerConnection;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Attaches the {@link PeerPrincipal} the transport proved to each exchange: the SPIFFE ID of the client certificate
 * of a mutual TLS connection (validated during the handshake), {@link PeerPrincipal#PLAINTEXT} otherwise. Always
 * overwrites, so nothing a client sends can set it. Computed once per connection.
 */
public record PeerPrincipalHandler(HttpHandler next) implements HttpHandler {

    public PeerPrincipalHandler {
        requireNonNull(next, "next");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        exchange.putAttachment(PeerPrincipal.KEY, principalOf(exchange.getConnection()));
        next.handleRequest(exchange);
    }

    /** The peer of {@code connection}: mutual with its SPIFFE ID over TLS with a client certificate, else plaintext. */
    static PeerPrincipal principalOf(ServerConnection connection) {
        PeerPrincipal known = connection.getAttachment(PeerPrincipal.KEY);
        if (known != null) {
            return known;
        }
        PeerPrincipal peer = PeerPrincipal.PLAINTEXT;
        SSLSessionInfo session = connection.getSslSessionInfo();
        if (session != null) {
            Optional<SpiffeId> id = Optional.empty();
            try {
                Certificate[] chain = session.getPeerCertificates();
                if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
                    id = SpiffeId.fromCertificate(leaf);
                }
            } catch (Exception unverified) {
                // no client certificate: the listener requires one, so this is not reached in practice
            }
            peer = id.map(PeerPrincipal::mutual).orElse(PeerPrincipal.PLAINTEXT);
        }
        connection.putAttachment(PeerPrincipal.KEY, peer);
        return peer;
    }
}
