package dev.meshpilot.proxy.upstream;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * An upstream's answer to one request, read in full: the status code, the header fields in arrival order (names as
 * the upstream spelled them, hop-by-hop ones included: the relay drops them), the body (chunked bodies decoded) and
 * the TLS session it came over (null for plaintext).
 */
public record UpstreamResponse(int statusCode, List<Header> headers, byte[] body, @Nullable SSLSession tlsSession) {

    public UpstreamResponse {
        requireNonNull(headers, "headers");
        requireNonNull(body, "body");
    }

    /** One header field. */
    public record Header(String name, String value) {
        public Header {
            requireNonNull(name, "name");
            requireNonNull(value, "value");
        }
    }

    public UpstreamResponse(int statusCode, List<Header> headers, byte[] body) {
        this(statusCode, headers, body, null);
    }

    /** The TLS session the response came over, as {@code java.net.http.HttpResponse#sslSession()}. */
    public Optional<SSLSession> sslSession() {
        return Optional.ofNullable(tlsSession);
    }

    /** The first value of the header {@code name} (case-insensitive), or null. */
    public @Nullable String header(String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return null;
    }
}
