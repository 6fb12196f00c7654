package dev.meshpilot.proxy.identity;

import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import org.jspecify.annotations.Nullable;

/**
 * Who is on the other end of an inbound connection, as the transport proved it: the peer's SPIFFE ID when the
 * connection is mutual TLS with a certificate of the mesh, nothing for plaintext. The inbound listener attaches it
 * to each exchange; authorization and metrics read it from there, never from request headers.
 *
 * @param spiffeId  the verified identity of the peer, null for plaintext
 * @param mutualTls whether the connection is mutual TLS
 */
public record PeerPrincipal(@Nullable SpiffeId spiffeId, boolean mutualTls) {

    /** Where the inbound listener keeps the peer of an exchange. */
    public static final AttachmentKey<PeerPrincipal> KEY = AttachmentKey.create(PeerPrincipal.class);

    /** A plaintext peer: no identity. */
    public static final PeerPrincipal PLAINTEXT = new PeerPrincipal(null, false);

    public PeerPrincipal {
        if (mutualTls != (spiffeId != null)) {
            throw new IllegalArgumentException("spiffeId: " + spiffeId + " (expected: present exactly when mutualTls)");
        }
    }

    /** A peer proven by mutual TLS. */
    public static PeerPrincipal mutual(SpiffeId id) {
        return new PeerPrincipal(requireNonNull(id, "id"), true);
    }

    /** The peer attached to {@code exchange}, or {@link #PLAINTEXT} when none is. */
    public static PeerPrincipal of(HttpServerExchange exchange) {
        PeerPrincipal peer = exchange.getAttachment(KEY);
        return peer == null ? PLAINTEXT : peer;
    }

    /** Istio's principal form {@code cluster.local/ns/<ns>/sa/<sa>}, as AuthorizationPolicy names it; null for plaintext. */
    public @Nullable String principal() {
        SpiffeId id = spiffeId;
        return id == null ? null : id.trustDomain() + "/ns/" + id.namespace() + "/sa/" + id.serviceAccount();
    }
}
