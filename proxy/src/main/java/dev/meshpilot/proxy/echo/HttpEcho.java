package dev.meshpilot.proxy.echo;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.internal.Servers;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * Our {@code wardviaene/http-echo}: answers {@code TEXT}; with {@code NEXT} (host:port) it calls
 * {@code http://$NEXT/} through its sidecar's outbound listener and answers {@code "<TEXT> <downstream body>"};
 * {@code LATENCY} (seconds) delays every answer. A failed downstream call answers 502 (or the downstream's
 * own 4xx/5xx status) with a body saying what failed.
 */
public final class HttpEcho implements AutoCloseable {

    /** Headers passed on to the downstream call (request id and trace context). */
    public static final List<String> PROPAGATED = List.of("x-request-id", "x-b3-traceid", "x-b3-spanid",
            "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags", "b3", "traceparent", "tracestate");

    private static final Duration DOWNSTREAM_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_LOGIN_BODY = 64 * 1024;

    private final String text;
    private final @Nullable String next;
    private final Duration latency;
    private final @Nullable HttpClient client;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Undertow server;
    private final EchoAuth auth;

    /**
     * Starts the server on {@code bindHost}, port 0, with a signing key of its own.
     *
     * @param env           the resolved environment ({@link EchoEnvironment#resolve})
     * @param outboundProxy the sidecar's outbound listener, or null to call {@code NEXT} directly
     */
    public HttpEcho(String bindHost, Map<String, String> env, @Nullable InetSocketAddress outboundProxy) {
        this(bindHost, env, outboundProxy, EchoKeys.generate());
    }

    /**
     * Starts the server on {@code bindHost}, port 0.
     *
     * @param keys the signing key of {@code POST /login} and {@code /.well-known/jwks.json}
     *             ({@link EchoKeys#forDeployment} in a fleet)
     */
    public HttpEcho(String bindHost, Map<String, String> env, @Nullable InetSocketAddress outboundProxy,
            EchoKeys keys) {
        requireNonNull(bindHost, "bindHost");
        requireNonNull(env, "env");
        this.auth = new EchoAuth(requireNonNull(keys, "keys"), Clock.systemUTC());
        this.text = env.getOrDefault("TEXT", "");
        String nextValue = env.get("NEXT");
        this.next = nextValue == null || nextValue.isBlank() ? null : nextValue.trim();
        this.latency = parseLatency(env.get("LATENCY"));
        if (next != null) {
            HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).executor(executor);
            if (outboundProxy != null) {
                builder.proxy(ProxySelector.of(outboundProxy));
            }
            this.client = builder.build();
        } else {
            this.client = null;
        }
        this.server = Servers.start(bindHost, List.of(new Servers.Listener(0,
                exchange -> exchange.dispatch(executor, () -> handle(exchange)))));
    }

    public InetSocketAddress address() {
        return Servers.address(server, 0);
    }

    public String text() {
        return text;
    }

    static Duration parseLatency(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return Duration.ZERO;
        }
        try {
            double seconds = Double.parseDouble(value.trim().replaceFirst("s$", ""));
            if (seconds < 0) {
                throw new IllegalArgumentException("LATENCY: " + value + " (expected: seconds >= 0)");
            }
            return Duration.ofMillis(Math.round(seconds * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("LATENCY: " + value + " (expected: seconds, e.g. 5)", e);
        }
    }

    private void handle(HttpServerExchange exchange) {
        try {
            if (!latency.isZero()) {
                Thread.sleep(latency);
            }
            if (handleAuth(exchange)) {
                return;
            }
            if (next == null || client == null) {
                respond(exchange, 200, text);
                return;
            }
            callNext(exchange, client, next);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 503, text + ": interrupted (shutting down)");
        }
    }

    /** The tutorial's auth service: {@code POST /login} and {@code GET /.well-known/jwks.json}. */
    private boolean handleAuth(HttpServerExchange exchange) {
        String path = exchange.getRequestPath();
        if (path.equals("/.well-known/jwks.json") && exchange.getRequestMethod().equalToString("GET")) {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send(auth.jwks(), StandardCharsets.UTF_8);
            return true;
        }
        if (!path.equals("/login") || !exchange.getRequestMethod().equalToString("POST")) {
            return false;
        }
        String body;
        try {
            exchange.startBlocking();
            byte[] bytes = exchange.getInputStream().readNBytes(MAX_LOGIN_BODY + 1);
            if (bytes.length > MAX_LOGIN_BODY) {
                respond(exchange, 413, "login: body larger than " + MAX_LOGIN_BODY + " bytes");
                return true;
            }
            body = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            respond(exchange, 400, "login: could not read the body: " + e.getMessage());
            return true;
        }
        String login;
        try {
            login = EchoAuth.loginOf(body);
        } catch (IllegalArgumentException e) {
            respond(exchange, 400, e.getMessage());
            return true;
        }
        respond(exchange, 200, "JWT token: " + auth.issue(login));
        return true;
    }

    private void callNext(HttpServerExchange exchange, HttpClient client, String next) throws InterruptedException {
        URI uri = URI.create("http://" + next + "/");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(DOWNSTREAM_TIMEOUT).GET();
        for (String name : PROPAGATED) {
            String value = exchange.getRequestHeaders().getFirst(name);
            if (value != null) {
                request.header(name, value);
            }
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            respond(exchange, 502, text + ": downstream " + uri + " failed: " + e);
            return;
        }
        if (response.statusCode() >= 400) {
            respond(exchange, response.statusCode(),
                    text + ": downstream " + uri + " answered " + response.statusCode() + ": " + response.body());
            return;
        }
        if (response.statusCode() >= 300) {
            respond(exchange, 502, text + ": downstream " + uri + " answered " + response.statusCode());
            return;
        }
        respond(exchange, 200, text + " " + response.body());
    }

    private static void respond(HttpServerExchange exchange, int status, String body) {
        if (exchange.isResponseStarted()) {
            return;
        }
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(body, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop();
        if (client != null) {
            client.shutdownNow();
        }
        executor.shutdownNow();
    }
}
