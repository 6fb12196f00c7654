package dev.meshpilot.proxy.upstream;

import java.util.Arrays;

/**
 * An HTTP/1.1 request being written: request line, header fields and body in one byte array (ISO-8859-1, as header
 * bytes arrive from the downstream). Fields whose name or value would break the framing (CR, LF, a colon in the name)
 * are dropped.
 */
public final class RequestHead {

    private byte[] bytes;
    private int length;

    /** Starts {@code METHOD target HTTP/1.1}. */
    public RequestHead(String method, String target) {
        bytes = new byte[1024 + target.length()]; // a mesh request's head (trace, peer headers) is 600-900 bytes
        append(method);
        append(' ');
        append(target);
        append(" HTTP/1.1\r\n");
    }

    public RequestHead header(String name, String value) {
        if (!safe(name, true) || !safe(value, false)) {
            return this;
        }
        append(name);
        append(": ");
        append(value);
        append("\r\n");
        return this;
    }

    /** Ends the header section and appends {@code body}; the array holds {@link #length()} bytes. */
    public byte[] finish(byte[] body) {
        append("\r\n");
        ensure(body.length);
        System.arraycopy(body, 0, bytes, length, body.length);
        length += body.length;
        return bytes;
    }

    public int length() {
        return length;
    }

    private static boolean safe(String text, boolean name) {
        if (name && text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || (name && (c == ':' || c <= ' '))) {
                return false;
            }
        }
        return true;
    }

    private void append(String text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[length + i] = (byte) text.charAt(i);
        }
        length += n;
    }

    private void append(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
