package dev.meshpilot.proxy.tls;

import static java.util.Objects.requireNonNull;

import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * TLS origination toward one destination (DestinationRule {@code tls.mode} SIMPLE or MUTUAL), ready to connect: the
 * client context (its trust manager verifies the server's chain and names, its key manager presents the client
 * certificate of MUTUAL) and the SNI; or why it cannot be used ({@link #error()}: a certificate file that cannot be
 * read), in which case nothing is sent, never plaintext. Pooled connections are kept apart per origination (the
 * record's equality includes the context's identity).
 *
 * @param context the client TLS context; null with an error
 * @param sni     the server name sent in the ClientHello; null when the name is an IP address (no SNI)
 * @param peer    what the server must prove, for log lines ({@code external.example}, or the subjectAltNames)
 * @param error   why the settings cannot be used, or null
 */
public record Origination(@Nullable SSLContext context, @Nullable String sni, String peer, @Nullable String error) {

    public Origination {
        requireNonNull(peer, "peer");
        if ((context == null) == (error == null)) {
            throw new IllegalArgumentException("context: " + context + ", error: " + error
                    + " (expected: exactly one of them)");
        }
    }

    static Origination failed(String peer, String error) {
        return new Origination(null, null, peer, error);
    }
}
