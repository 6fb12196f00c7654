package dev.meshpilot.proxy.tls;

import dev.meshpilot.policy.security.MtlsMode;
import dev.meshpilot.proxy.identity.PeerPrincipal;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * An {@link InboundListener} in front of a handler that answers who the transport says the peer is:
 * {@code peer=<spiffe id>} over mutual TLS, {@code plaintext} otherwise. The mode can be switched at any time.
 */
final class PeerEchoServer implements AutoCloseable {

    final AtomicReference<MtlsMode> mode;
    final InboundListener listener;
    private final XnioWorker worker;

    PeerEchoServer(ProxyIdentity identity, MtlsMode initial) {
        this.mode = new AtomicReference<>(initial);
        try {
            worker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, 1).set(Options.WORKER_TASK_CORE_THREADS, 1)
                    .set(Options.WORKER_TASK_MAX_THREADS, 1).getMap());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        listener = InboundListener.start(worker, "127.0.0.1", 0, exchange -> {
            PeerPrincipal peer = PeerPrincipal.of(exchange);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
            exchange.getResponseSender().send(peer.mutualTls() ? "peer=" + peer.spiffeId() : "plaintext");
        }, identity, mode::get, "world-test1");
    }

    InetSocketAddress address() {
        return listener.address();
    }

    @Override
    public void close() {
        listener.close();
        worker.shutdownNow();
    }
}
