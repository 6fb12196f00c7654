package dev.meshpilot.proxy.upstream;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * One keep-alive HTTP/1.1 connection (plain or TLS) used by one request at a time: writes a request in one call and
 * reads the response (status line, headers, Content-Length / chunked / until-close body) with a deadline.
 */
final class Http1Connection implements Closeable {

    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_HEADERS = 256;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final @Nullable SSLContext context;
    private byte[] buf = new byte[8192];
    private int pos;
    private int limit;
    private long received;
    private boolean reusable;
    long idleSince;

    private Http1Connection(Socket socket, @Nullable SSLContext context) throws IOException {
        this.socket = socket;
        this.context = context;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * Connects within {@code connectMillis} (a {@link ConnectFailure} when it cannot), then shakes hands over TLS
     * with {@code context} when it is not null, before {@code deadline} ({@link System#nanoTime()}), sending
     * {@code sni} as the server name when it is not null.
     */
    static Http1Connection open(InetSocketAddress address, @Nullable SSLContext context, @Nullable String sni,
            int connectMillis, boolean connectLimitedByDeadline, long deadline) throws IOException {
        if (address.isUnresolved()) { // a DNS endpoint: resolved at each connect, as the JDK's client did
            address = new InetSocketAddress(address.getHostString(), address.getPort());
        }
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(address, connectMillis);
        } catch (SocketTimeoutException e) {
            plain.close();
            throw new ConnectFailure("connect timed out after " + connectMillis + " ms: " + address,
                    connectLimitedByDeadline, e);
        } catch (IOException e) {
            plain.close();
            throw new ConnectFailure(e.toString(), false, e);
        }
        if (context == null) {
            return new Http1Connection(plain, null);
        }
        try {
            SSLSocket tls = (SSLSocket) context.getSocketFactory()
                    .createSocket(plain, sni != null ? sni : address.getHostString(), address.getPort(), true);
            tls.setUseClientMode(true);
            if (sni != null) {
                javax.net.ssl.SSLParameters parameters = tls.getSSLParameters();
                parameters.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName(sni)));
                tls.setSSLParameters(parameters);
            }
            tls.setSoTimeout(remainingMillis(deadline));
            tls.startHandshake();
            return new Http1Connection(tls, context);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** Why the server closed this fresh TLS connection right after the handshake ({@link TransportFailures}). */
    IOException refusal(IOException failure) {
        return TransportFailures.refusal(socket, in, failure);
    }

    @Nullable SSLContext context() {
        return context;
    }

    /** Whether the connection can carry another request (the last response was read in full, no close asked). */
    boolean reusable() {
        return reusable;
    }

    /** Whether any byte of a response arrived on this connection since the last {@link #write}. */
    boolean receivedNothing() {
        return received == 0;
    }

    void write(byte[] request, int length) throws IOException {
        received = 0;
        reusable = false;
        out.write(request, 0, length);
        out.flush();
    }

    /** Reads the response to the request just written; {@code head}: it answers a HEAD request (no body). */
    UpstreamResponse read(boolean head, long deadline) throws IOException {
        int status;
        List<UpstreamResponse.Header> headers;
        boolean http10;
        do {
            String statusLine = line(deadline);
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                throw new ProtocolException("bad status line: " + ResponseParser.abbreviate(statusLine));
            }
            http10 = statusLine.charAt(7) == '0';
            status = ResponseParser.parseStatus(statusLine);
            headers = headers(deadline);
        } while (status >= 100 && status < 200 && status != 101);
        ResponseParser.Framing framing = ResponseParser.Framing.of(headers, http10);
        long contentLength = framing.contentLength();
        boolean chunked = framing.chunked();
        boolean close = framing.close();
        byte[] body;
        if (head || status == 204 || status == 304 || status == 101) {
            body = new byte[0];
        } else if (chunked) {
            body = chunked(deadline);
        } else if (contentLength >= 0) {
            body = exactly(contentLength, deadline);
        } else {
            body = untilClose(deadline);
            close = true;
        }
        reusable = !close;
        return new UpstreamResponse(status, headers, body,
                socket instanceof SSLSocket tls ? tls.getSession() : null);
    }

    @Override
    public void close() {
        reusable = false;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private List<UpstreamResponse.Header> headers(long deadline) throws IOException {
        List<UpstreamResponse.Header> headers = new ArrayList<>(12);
        for (String line = line(deadline); !line.isEmpty(); line = line(deadline)) {
            int colon = line.indexOf(':');
            if (colon <= 0 || headers.size() >= MAX_HEADERS) {
                throw new ProtocolException("bad header line: " + ResponseParser.abbreviate(line));
            }
            headers.add(new UpstreamResponse.Header(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
        }
        return headers;
    }

    private byte[] chunked(long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            long size = ResponseParser.chunkSize(line(deadline), body.size());
            if (size == 0) {
                while (!line(deadline).isEmpty()) {
                    // trailer fields are dropped
                }
                return body.toByteArray();
            }
            body.writeBytes(exactly(size, deadline));
            if (!line(deadline).isEmpty()) {
                throw new ProtocolException("chunk not followed by CRLF");
            }
        }
    }

    private byte[] exactly(long length, long deadline) throws IOException {
        if (length > Integer.MAX_VALUE - 16) {
            throw new ProtocolException("body too large: " + length);
        }
        byte[] body = new byte[(int) length];
        int n = Math.min(limit - pos, body.length);
        System.arraycopy(buf, pos, body, 0, n);
        pos += n;
        while (n < body.length) {
            timeout(deadline);
            int r = in.read(body, n, body.length - n);
            if (r < 0) {
                throw new EOFException("connection closed after " + n + " of " + length + " body bytes");
            }
            received += r;
            n += r;
        }
        return body;
    }

    private byte[] untilClose(long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(buf, pos, limit - pos);
        pos = limit;
        while (fill(deadline)) {
            body.write(buf, pos, limit - pos);
            pos = limit;
        }
        return body.toByteArray();
    }

    /** One CRLF- (or LF-) terminated line without its terminator, ISO-8859-1. */
    private String line(long deadline) throws IOException {
        int start = pos;
        while (true) {
            for (int i = start; i < limit; i++) {
                if (buf[i] == '\n') {
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    String line = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                    pos = i + 1;
                    return line;
                }
            }
            if (pos > 0) { // keep the partial line at the start of the buffer
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= pos;
                pos = 0;
            }
            if (limit == buf.length) {
                if (buf.length >= MAX_LINE) {
                    throw new ProtocolException("response line longer than " + MAX_LINE + " bytes");
                }
                buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            }
            start = limit;
            if (!fill(deadline)) {
                throw new EOFException(received == 0 ? "connection closed before a response"
                        : "connection closed in the middle of a response");
            }
        }
    }

    /** Reads more into the buffer after {@code limit}; false at the end of the stream. */
    private boolean fill(long deadline) throws IOException {
        if (pos == limit) {
            pos = 0;
            limit = 0;
        }
        timeout(deadline);
        int r = in.read(buf, limit, buf.length - limit);
        if (r < 0) {
            return false;
        }
        received += r;
        limit += r;
        return true;
    }

    private void timeout(long deadline) throws IOException {
        socket.setSoTimeout(remainingMillis(deadline));
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long nanos = deadline - System.nanoTime();
        if (nanos <= 0) {
            throw new SocketTimeoutException("request timed out");
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999)));
    }

    /** The connection could not be established; {@code deadline}: the try's own deadline cut the connect short. */
    static final class ConnectFailure extends IOException {
        private final boolean deadline;

        ConnectFailure(String message, boolean deadline, Throwable cause) {
            super(message, cause);
            this.deadline = deadline;
        }

        boolean deadline() {
            return deadline;
        }
    }
}
