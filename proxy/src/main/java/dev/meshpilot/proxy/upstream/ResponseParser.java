package dev.meshpilot.proxy.upstream;

import java.io.ByteArrayOutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Parses an HTTP/1.1 response from the bytes received so far (the non-blocking client's counterpart of
 * {@link Http1Connection#read}): status line, header fields, then a Content-Length, chunked or until-close body.
 * Interim (1xx) responses are skipped; HEAD, 204, 304 and 101 responses have no body.
 */
final class ResponseParser {

    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_HEADERS = 256;

    private ResponseParser() {}

    /**
     * A complete response, the bytes it took and whether its connection can carry another request.
     */
    record Parsed(UpstreamResponse response, int consumed, boolean keepAlive) {}

    /**
     * The response in {@code buf[0, length)}, or null when more bytes are needed.
     *
     * @param head the request was a HEAD request
     * @param eof  the peer closed the connection after these bytes (an until-close body ends here)
     */
    static @Nullable Parsed parse(byte[] buf, int length, boolean head, boolean eof) throws ProtocolException {
        int pos = 0;
        while (true) {
            int lineEnd = lineEnd(buf, pos, length);
            if (lineEnd < 0) {
                return null;
            }
            String statusLine = line(buf, pos, lineEnd);
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                throw new ProtocolException("bad status line: " + abbreviate(statusLine));
            }
            boolean http10 = statusLine.charAt(7) == '0';
            int status = parseStatus(statusLine);
            pos = lineEnd + 1;
            List<UpstreamResponse.Header> headers = new ArrayList<>(12);
            while (true) {
                lineEnd = lineEnd(buf, pos, length);
                if (lineEnd < 0) {
                    return null;
                }
                String line = line(buf, pos, lineEnd);
                pos = lineEnd + 1;
                if (line.isEmpty()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon <= 0 || headers.size() >= MAX_HEADERS) {
                    throw new ProtocolException("bad header line: " + abbreviate(line));
                }
                headers.add(new UpstreamResponse.Header(line.substring(0, colon).trim(),
                        line.substring(colon + 1).trim()));
            }
            if (status >= 100 && status < 200 && status != 101) {
                continue; // an interim response
            }
            return body(buf, pos, length, head, eof, status, headers, http10);
        }
    }

    /**
     * How a response's body is framed, from its headers: {@code Content-Length} (-1 when absent), chunked
     * {@code Transfer-Encoding}, and whether the server closes the connection after it (HTTP/1.0 unless keep-alive).
     */
    record Framing(long contentLength, boolean chunked, boolean close) {

        static Framing of(List<UpstreamResponse.Header> headers, boolean http10) throws ProtocolException {
            long contentLength = -1;
            boolean chunked = false;
            boolean close = http10;
            for (UpstreamResponse.Header h : headers) {
                String name = h.name();
                if (name.equalsIgnoreCase("content-length")) {
                    contentLength = parseLength(h.value());
                } else if (name.equalsIgnoreCase("transfer-encoding")) {
                    chunked = h.value().toLowerCase(Locale.ROOT).endsWith("chunked");
                } else if (name.equalsIgnoreCase("connection")) {
                    String v = h.value().toLowerCase(Locale.ROOT);
                    close = v.contains("close") || (http10 && !v.contains("keep-alive"));
                }
            }
            return new Framing(contentLength, chunked, close);
        }
    }

    private static @Nullable Parsed body(byte[] buf, int pos, int length, boolean head, boolean eof, int status,
            List<UpstreamResponse.Header> headers, boolean http10) throws ProtocolException {
        Framing framing = Framing.of(headers, http10);
        long contentLength = framing.contentLength();
        boolean chunked = framing.chunked();
        boolean close = framing.close();
        if (head || status == 204 || status == 304 || status == 101) {
            return new Parsed(new UpstreamResponse(status, headers, new byte[0]), pos, !close);
        }
        if (chunked) { // framing first (cheap: chunk sizes only), the copy once the body is complete
            return chunked(buf, pos, length, status, headers, close, false) == null ? null
                    : chunked(buf, pos, length, status, headers, close, true);
        }
        if (contentLength >= 0) {
            if (contentLength > Integer.MAX_VALUE - 16) {
                throw new ProtocolException("body too large: " + contentLength);
            }
            if (length - pos < contentLength) {
                return null;
            }
            byte[] body = java.util.Arrays.copyOfRange(buf, pos, pos + (int) contentLength);
            return new Parsed(new UpstreamResponse(status, headers, body), pos + body.length, !close);
        }
        if (!eof) {
            return null;
        }
        return new Parsed(new UpstreamResponse(status, headers, java.util.Arrays.copyOfRange(buf, pos, length)),
                length, false);
    }

    /** With {@code copy} false only the framing is checked (the response then has an empty body). */
    private static @Nullable Parsed chunked(byte[] buf, int pos, int length, int status,
            List<UpstreamResponse.Header> headers, boolean close, boolean copy) throws ProtocolException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(copy ? 256 : 0);
        long size = 0;
        while (true) {
            int lineEnd = lineEnd(buf, pos, length);
            if (lineEnd < 0) {
                return null;
            }
            String sizeLine = line(buf, pos, lineEnd);
            pos = lineEnd + 1;
            long chunk = chunkSize(sizeLine, size);
            if (chunk == 0) {
                while (true) { // trailer fields are dropped
                    lineEnd = lineEnd(buf, pos, length);
                    if (lineEnd < 0) {
                        return null;
                    }
                    boolean empty = line(buf, pos, lineEnd).isEmpty();
                    pos = lineEnd + 1;
                    if (empty) {
                        return new Parsed(new UpstreamResponse(status, headers, body.toByteArray()), pos, !close);
                    }
                }
            }
            if (length - pos < chunk) {
                return null;
            }
            if (copy) {
                body.write(buf, pos, (int) chunk);
            }
            size += chunk;
            pos += (int) chunk;
            lineEnd = lineEnd(buf, pos, length);
            if (lineEnd < 0) {
                return null;
            }
            if (!line(buf, pos, lineEnd).isEmpty()) {
                throw new ProtocolException("chunk not followed by CRLF");
            }
            pos = lineEnd + 1;
        }
    }

    /** The index of the LF ending the line that starts at {@code from}, or -1 when it has not arrived yet. */
    private static int lineEnd(byte[] buf, int from, int length) throws ProtocolException {
        for (int i = from; i < length; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        if (length - from > MAX_LINE) {
            throw new ProtocolException("response line longer than " + MAX_LINE + " bytes");
        }
        return -1;
    }

    /** The line from {@code from} to the LF at {@code lf}, without CR LF (or LF), ISO-8859-1. */
    private static String line(byte[] buf, int from, int lf) {
        int end = lf > from && buf[lf - 1] == '\r' ? lf - 1 : lf;
        return new String(buf, from, end - from, StandardCharsets.ISO_8859_1);
    }

    static int parseStatus(String statusLine) throws ProtocolException {
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = statusLine.charAt(i);
            if (c < '0' || c > '9') {
                throw new ProtocolException("bad status line: " + abbreviate(statusLine));
            }
            status = status * 10 + (c - '0');
        }
        return status;
    }

    /**
     * The size of the chunk a chunk-size line announces (extensions after {@code ;} ignored), refused when the body
     * would outgrow a byte array given the {@code bodySoFar} bytes already read.
     */
    static long chunkSize(String sizeLine, long bodySoFar) throws ProtocolException {
        int semicolon = sizeLine.indexOf(';');
        String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
        long size;
        try {
            size = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new ProtocolException("bad chunk size: " + abbreviate(sizeLine));
        }
        if (size < 0 || size > Integer.MAX_VALUE - 16 - bodySoFar) {
            throw new ProtocolException("chunk size out of range: " + abbreviate(sizeLine));
        }
        return size;
    }

    static long parseLength(String value) throws ProtocolException {
        try {
            long length = Long.parseLong(value.trim());
            if (length >= 0) {
                return length;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ProtocolException("bad Content-Length: " + abbreviate(value));
    }

    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
