package dev.meshpilot.proxy.internal;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.AttachmentKey;
import java.io.IOException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves an exchange off the I/O thread to blocking work on {@code executor}, once its request body has been read
 * (without blocking, on the I/O thread: {@link #body}). A proxy that shuts down mid-request answers 503; a request body
 * that cannot be read answers 400.
 *
 * <p>The work answers with {@link Exchanges#send} (and the helpers built on it), which hands the response to the
 * connection's I/O thread: the exchange then ends on the I/O thread. Ending it on another thread races Undertow's
 * read listener, which spins on the I/O thread until the other thread is done; on a sidecar with one CPU that spin
 * lasts a scheduler time slice and cost more than the rest of the request.
 */
public final class BlockingDispatch {

    private static final Logger LOG = LoggerFactory.getLogger(BlockingDispatch.class);
    private static final AttachmentKey<byte[]> BODY = AttachmentKey.create(byte[].class);
    private static final byte[] EMPTY = new byte[0];

    /** The blocking part of a handler. */
    @FunctionalInterface
    public interface BlockingWork {
        void handle(HttpServerExchange exchange) throws InterruptedException, IOException;
    }

    private BlockingDispatch() {}

    /** @param who the proxy's role in the 503 text, e.g. {@code sidecar} */
    public static void dispatch(HttpServerExchange exchange, Executor executor, String who, BlockingWork work) {
        exchange.getRequestReceiver().receiveFullBytes((ex, body) -> {
            ex.putAttachment(BODY, body);
            ex.dispatch(executor, () -> run(ex, who, work));
        }, (ex, e) -> Exchanges.text(ex, 400, "cannot read request body: " + e.getMessage()));
    }

    /** The non-blocking part of a handler, run on the exchange's I/O thread. */
    @FunctionalInterface
    public interface IoWork {
        void handle(HttpServerExchange exchange);
    }

    /**
     * Runs {@code work} on the exchange's I/O thread once the request body has been read (without blocking); the
     * exchange stays open until answered ({@link Exchanges#send}), and {@code work} may hand it on with
     * {@link #continueBlocking}. A failure of {@code work} answers 500.
     *
     * @param who the proxy's role in the error text, e.g. {@code proxy}
     */
    public static void onIoThread(HttpServerExchange exchange, String who, IoWork work) {
        exchange.getRequestReceiver().receiveFullBytes((ex, body) -> {
            ex.putAttachment(BODY, body);
            ex.dispatch(SameThreadExecutor.INSTANCE, () -> {
                try {
                    work.handle(ex);
                } catch (RuntimeException | Error e) {
                    LOG.error("{}: request failed", who, e);
                    Exchanges.text(ex, 500, who + " internal error: " + e);
                }
            });
        }, (ex, e) -> Exchanges.text(ex, 400, "cannot read request body: " + e.getMessage()));
    }

    /** Continues an exchange whose body was read ({@link #onIoThread}) with blocking work on {@code executor}. */
    public static void continueBlocking(HttpServerExchange exchange, Executor executor, String who,
            BlockingWork work) {
        exchange.dispatch(executor, () -> run(exchange, who, work));
    }

    /** The request body {@link #dispatch} read (empty when there was none). */
    public static byte[] body(HttpServerExchange exchange) {
        byte[] body = exchange.getAttachment(BODY);
        return body == null ? EMPTY : body;
    }

    private static void run(HttpServerExchange exchange, String who, BlockingWork work) {
        try {
            work.handle(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Exchanges.text(exchange, 503, who + " shutting down");
        } catch (IOException e) {
            Exchanges.text(exchange, 502, who + ": " + e.getMessage());
        } catch (RuntimeException | Error e) { // answered rather than left hanging until the client gives up
            LOG.error("{}: request failed", who, e);
            Exchanges.text(exchange, 500, who + " internal error: " + e);
        }
    }
}
