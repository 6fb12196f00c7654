package dev.meshpilot.proxy.internal;

import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.concurrent.Executor;

/**
 * Moves an exchange off the I/O thread to blocking work on {@code executor}. A proxy that shuts down
 * mid-request answers 503; a request body that cannot be read answers 400.
 */
public final class BlockingDispatch {

    /** The blocking part of a handler. */
    @FunctionalInterface
    public interface BlockingWork {
        void handle(HttpServerExchange exchange) throws InterruptedException, IOException;
    }

    private BlockingDispatch() {}

    /** @param who the proxy's role in the 503 text, e.g. {@code sidecar} */
    public static void dispatch(HttpServerExchange exchange, Executor executor, String who, BlockingWork work) {
        exchange.dispatch(executor, () -> {
            exchange.startBlocking();
            try {
                work.handle(exchange);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                Exchanges.text(exchange, 503, who + " shutting down");
            } catch (IOException e) {
                Exchanges.text(exchange, 400, "cannot read request body: " + e.getMessage());
            }
        });
    }
}
