package dev.meshpilot.proxy.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.xnio.StreamConnection;
import org.xnio.channels.Channels;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.streams.ChannelInputStream;
import org.xnio.streams.ChannelOutputStream;

/**
 * Copies bytes both ways between a downstream connection (an accepted CONNECT tunnel, a gateway PASSTHROUGH
 * connection) and an upstream socket, with
 * half-closes passed on, until both directions ended. Blocking, one direction on a thread of {@code executor}.
 */
public final class Splice {

    /** How long the upstream may keep sending after the client finished sending. */
    private static final long DRAIN_SECONDS = 30;
    private static final int BUFFER = 16 * 1024;

    private Splice() {}

    /** @param up bytes client → upstream, {@code down} bytes upstream → client */
    public static void both(StreamConnection client, Socket upstream, Executor executor, LongAdder up, LongAdder down)
            throws IOException {
        CompletableFuture<Void> toClient = new CompletableFuture<>();
        StreamSinkChannel sink = client.getSinkChannel();
        executor.execute(() -> {
            try {
                copy(upstream.getInputStream(), new ChannelOutputStream(sink), down);
                sink.shutdownWrites();
                Channels.flushBlocking(sink);
            } catch (IOException e) {
                // the other side closed: the tunnel ends
            } finally {
                toClient.complete(null);
            }
        });
        try {
            copy(new ChannelInputStream(client.getSourceChannel()), upstream.getOutputStream(), up);
            upstream.shutdownOutput();
        } catch (IOException e) {
            // the client went away: the tunnel ends
        }
        try {
            toClient.get(DRAIN_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // closed below
        }
    }

    private static void copy(InputStream in, OutputStream out, LongAdder count) throws IOException {
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (n > 0) {
                out.write(buffer, 0, n);
                out.flush();
                count.add(n);
            }
        }
    }
}
