package dev.meshpilot.proxy.egress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads the first TLS record of a connection (the ClientHello) without terminating TLS, and finds its server name
 * (SNI): what Envoy's TLS inspector does for SNI passthrough. The bytes read are forwarded as they were.
 */
public final class ClientHelloSni {

    private static final int HANDSHAKE = 0x16;
    private static final int CLIENT_HELLO = 0x01;
    private static final int SERVER_NAME = 0x0000;
    private static final int MAX_RECORD = 16_384 + 2048;

    private ClientHelloSni() {}

    /**
     * The first record of {@code in}, whole when it is a TLS handshake record; only its first byte when it is not
     * TLS; empty when the client sent nothing before the stream's read timeout or closed.
     */
    public static byte[] readFirstRecord(InputStream in) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        int first;
        try {
            first = in.read();
        } catch (InterruptedIOException e) {
            return new byte[0]; // a client that waits for the server to speak first
        }
        if (first < 0) {
            return new byte[0];
        }
        read.write(first);
        if (first != HANDSHAKE) {
            return read.toByteArray();
        }
        byte[] header = in.readNBytes(4);
        read.write(header);
        if (header.length < 4) {
            return read.toByteArray();
        }
        int length = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
        if (length > MAX_RECORD) {
            return read.toByteArray();
        }
        read.write(in.readNBytes(length));
        return read.toByteArray();
    }

    /** The SNI host name of a ClientHello record (lower case), or null when {@code record} is not one or has none. */
    public static @Nullable String serverName(byte[] record) {
        try {
            return parse(record);
        } catch (IndexOutOfBoundsException e) {
            return null; // truncated or not a ClientHello
        }
    }

    private static @Nullable String parse(byte[] r) {
        if (r.length < 9 || (r[0] & 0xff) != HANDSHAKE || (r[5] & 0xff) != CLIENT_HELLO) {
            return null;
        }
        int end = Math.min(r.length, 5 + u16(r, 3));
        int p = 5 + 4 + 2 + 32; // handshake header, client_version, random
        p += 1 + (r[p] & 0xff); // session id
        p += 2 + u16(r, p); // cipher suites
        p += 1 + (r[p] & 0xff); // compression methods
        if (p + 2 > end) {
            return null; // no extensions
        }
        int extensionsEnd = Math.min(end, p + 2 + u16(r, p));
        p += 2;
        while (p + 4 <= extensionsEnd) {
            int type = u16(r, p);
            int length = u16(r, p + 2);
            p += 4;
            if (type == SERVER_NAME) {
                int q = p + 2; // server_name_list length
                while (q + 3 <= p + length) {
                    int nameType = r[q] & 0xff;
                    int nameLength = u16(r, q + 1);
                    if (nameType == 0) {
                        return new String(Arrays.copyOfRange(r, q + 3, q + 3 + nameLength), StandardCharsets.US_ASCII)
                                .toLowerCase(java.util.Locale.ROOT);
                    }
                    q += 3 + nameLength;
                }
                return null;
            }
            p += length;
        }
        return null;
    }

    private static int u16(byte[] r, int at) {
        return ((r[at] & 0xff) << 8) | (r[at + 1] & 0xff);
    }
}
