package dev.meshpilot.proxy.upstream;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;
import org.xnio.ssl.SslConnection;

/**
 * One keep-alive HTTP/1.1 connection (plain or TLS) driven by its XNIO I/O thread, one request at a time: the request is
 * written in one call (the rest when the socket is writable again), the response read as it arrives and parsed
 * ({@link ResponseParser}) until complete, within a deadline. Reads stay enabled while the connection is idle, so a
 * peer that closes it is noticed and the connection closed. Every method runs on the connection's I/O thread.
 */
final class AsyncHttp1Connection {

    /** What becomes of one request. */
    interface Listener {
        void response(UpstreamResponse response, boolean reusable);

        void failed(IOException e);
    }

    private final StreamConnection connection;
    private final @Nullable SSLContext context;
    private final ConduitStreamSourceChannel source;
    private final ConduitStreamSinkChannel sink;
    private byte[] buf = new byte[8192];
    private ByteBuffer in = ByteBuffer.wrap(buf);
    private int length;
    private long received;
    private boolean head;
    private boolean writing;
    private @Nullable ByteBuffer pending;
    private @Nullable Listener listener;
    private XnioExecutor.@Nullable Key timer;
    long idleSince;

    /** @param context the TLS context of {@code connection} (an {@link SslConnection}); null for plaintext */
    AsyncHttp1Connection(StreamConnection connection, @Nullable SSLContext context) {
        this.connection = connection;
        this.context = context;
        this.source = connection.getSourceChannel();
        this.sink = connection.getSinkChannel();
        source.getReadSetter().set(channel -> readable());
        sink.getWriteSetter().set(channel -> writable());
        source.resumeReads();
    }

    @Nullable SSLContext context() {
        return context;
    }

    boolean isOpen() {
        return connection.isOpen();
    }

    /** Whether any byte of a response arrived since the last {@link #send}. */
    boolean receivedNothing() {
        return received == 0;
    }

    /** Sends {@code request[0, length)} and reads its response before {@code deadline} ({@link System#nanoTime}). */
    void send(byte[] request, int length, boolean head, long deadline, Listener listener) {
        this.listener = listener;
        this.head = head;
        this.length = 0;
        this.received = 0;
        long millis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime() + 999_999);
        if (millis <= 0) {
            fail(new SocketTimeoutException("request timed out"));
            return;
        }
        timer = connection.getIoThread().executeAfter(this::timedOut, millis, TimeUnit.MILLISECONDS);
        pending = ByteBuffer.wrap(request, 0, length);
        writable();
    }

    void close() {
        IoUtils.safeClose(connection);
    }

    private void writable() {
        ByteBuffer out = pending;
        if (out == null) {
            suspendWrites();
            return;
        }
        try {
            while (out.hasRemaining()) {
                if (sink.write(out) == 0) {
                    resumeWrites();
                    return;
                }
            }
            if (!sink.flush()) {
                resumeWrites();
                return;
            }
            pending = null;
            suspendWrites();
        } catch (IOException e) {
            fail(e);
        }
    }

    private void resumeWrites() {
        if (!writing) {
            writing = true;
            sink.resumeWrites();
        }
    }

    private void suspendWrites() {
        if (writing) {
            writing = false;
            sink.suspendWrites();
        }
    }

    private void readable() {
        boolean eof = false;
        try {
            // Plain sockets: one read per readiness event (epoll reports the rest again). TLS: until the conduit has
            // nothing more, as records it already decrypted raise no further event.
            int got = 0;
            while (true) {
                if (length == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                    in = ByteBuffer.wrap(buf);
                }
                in.limit(buf.length).position(length);
                int n = source.read(in);
                if (n < 0) {
                    eof = true;
                    break;
                }
                length += n;
                received += n;
                got += n;
                if (n == 0 || !(connection instanceof SslConnection)) {
                    break;
                }
            }
            if (got == 0 && !eof) {
                return;
            }
        } catch (IOException e) {
            if (listener != null) {
                fail(e);
            } else {
                close();
            }
            return;
        }
        Listener l = listener;
        if (l == null) { // an idle connection: the peer closed it (or sent what nobody asked for)
            close();
            return;
        }
        ResponseParser.Parsed parsed;
        try {
            parsed = ResponseParser.parse(buf, length, head, eof);
        } catch (IOException e) {
            fail(e);
            return;
        }
        if (parsed == null) {
            if (eof) {
                fail(new EOFException(received == 0 ? "connection closed before a response"
                        : "connection closed in the middle of a response"));
            }
            return;
        }
        boolean reusable = parsed.keepAlive() && parsed.consumed() == length && !eof && pending == null;
        UpstreamResponse response = parsed.response();
        if (connection instanceof SslConnection tls) {
            response = new UpstreamResponse(response.statusCode(), response.headers(), response.body(),
                    tls.getSslSession());
        }
        done();
        if (!reusable) {
            close();
        }
        l.response(response, reusable);
    }

    private void timedOut() {
        timer = null;
        if (listener != null) {
            fail(new SocketTimeoutException("request timed out"));
        }
    }

    private void fail(IOException e) {
        Listener l = listener;
        done();
        close();
        if (l != null) {
            l.failed(e);
        }
    }

    private void done() {
        listener = null;
        pending = null;
        length = 0;
        XnioExecutor.Key t = timer;
        timer = null;
        if (t != null) {
            t.remove();
        }
    }
}
