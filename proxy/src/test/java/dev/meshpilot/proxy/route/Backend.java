package dev.meshpilot.proxy.route;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A real HTTP server standing for one endpoint of a destination: records every request it gets (method, path,
 * headers) and answers as its behaviour says (by the request's number: healthy, failing, slow or flapping).
 */
final class Backend implements AutoCloseable {

    /** What the backend answers to its n-th request (0-based). */
    record Answer(int status, String body, Duration delay, Map<String, String> headers) {
        static Answer ok(String body) {
            return new Answer(200, body, Duration.ZERO, Map.of());
        }
    }

    /** One received request; header names lower case. */
    record Received(String method, String path, Map<String, List<String>> headers) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : String.join(",", values);
        }
    }

    private final String name;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile IntFunction<Answer> behaviour;

    Backend(String name) {
        this.name = name;
        this.behaviour = n -> Answer.ok(name);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String name() {
        return name;
    }

    Backend answering(IntFunction<Answer> behaviour) {
        this.behaviour = behaviour;
        return this;
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.getAddress().getPort());
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int n;
        Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        synchronized (received) {
            n = received.size();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers));
        }
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            exchange.getRequestBody().readAllBytes();
            Answer answer = behaviour.apply(n);
            if (!answer.delay().isZero()) {
                Thread.sleep(answer.delay());
            }
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
