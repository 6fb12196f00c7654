package dev.meshpilot.proxy.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpilot.proxy.internal.Servers;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpEchoTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private final List<AutoCloseable> closeables = new java.util.ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        client.close();
    }

    @Test
    void answersText() throws Exception {
        HttpEcho echo = echo(Map.of("TEXT", "!!!"), null);
        HttpResponse<String> response = get(echo.address(), Map.of());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("!!!");
    }

    @Test
    void prependsTextToTheNextServicesAnswer() throws Exception {
        HttpEcho world = echo(Map.of("TEXT", "world"), null);
        HttpEcho hello = echo(Map.of("TEXT", "hello", "NEXT", hostPort(world.address())), null);
        assertThat(get(hello.address(), Map.of()).body()).isEqualTo("hello world");
    }

    @Test
    void callsNextThroughTheOutboundProxyWithTraceHeaders() throws Exception {
        Map<String, String> seen = new ConcurrentHashMap<>();
        Undertow proxy = Servers.start("127.0.0.1", List.of(new Servers.Listener(0, exchange -> {
            seen.put("uri", exchange.getRequestURI());
            seen.put("host", exchange.getRequestHeaders().getFirst("Host"));
            for (String h : HttpEcho.PROPAGATED) {
                String v = exchange.getRequestHeaders().getFirst(h);
                if (v != null) {
                    seen.put(h, v);
                }
            }
            exchange.getResponseSender().send("world");
        })));
        closeables.add(proxy::stop);
        HttpEcho hello = echo(Map.of("TEXT", "hello", "NEXT", "world:8080"), Servers.address(proxy, 0));

        HttpResponse<String> response = get(hello.address(), Map.of("x-request-id", "r-1",
                "x-b3-traceid", "463ac35c9f6413ad48485a3953bb6124", "x-b3-spanid", "a2fb4a1d1a96d312",
                "x-b3-sampled", "1", "traceparent", "00-463ac35c9f6413ad48485a3953bb6124-a2fb4a1d1a96d312-01",
                "x-not-propagated", "x"));

        assertThat(response.body()).isEqualTo("hello world");
        assertThat(seen).containsEntry("host", "world:8080").containsEntry("x-request-id", "r-1")
                .containsEntry("x-b3-traceid", "463ac35c9f6413ad48485a3953bb6124").containsEntry("x-b3-sampled", "1")
                .containsKey("traceparent").doesNotContainKey("x-not-propagated");
        assertThat(seen.get("uri")).contains("world:8080/");
    }

    @Test
    void answers502WhenNextCannotBeReached() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        HttpEcho hello = echo(Map.of("TEXT", "hello", "NEXT", "127.0.0.1:" + closedPort), null);
        HttpResponse<String> response = get(hello.address(), Map.of());
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).startsWith("hello: downstream http://127.0.0.1:" + closedPort + "/ failed");
    }

    @Test
    void propagatesTheDownstreamErrorStatus() throws Exception {
        Undertow failing = Servers.start("127.0.0.1", List.of(new Servers.Listener(0, exchange -> {
            exchange.setStatusCode(503);
            exchange.getResponseSender().send("no healthy upstream");
        })));
        closeables.add(failing::stop);
        HttpEcho hello = echo(Map.of("TEXT", "hello", "NEXT", hostPort(Servers.address(failing, 0))), null);
        HttpResponse<String> response = get(hello.address(), Map.of());
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).endsWith("answered 503: no healthy upstream");
    }

    @Test
    void waitsLatencySecondsBeforeAnswering() throws Exception {
        HttpEcho slow = echo(Map.of("TEXT", "slow", "LATENCY", "0.3"), null);
        long start = System.nanoTime();
        assertThat(get(slow.address(), Map.of()).body()).isEqualTo("slow");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void rejectsANegativeLatency() {
        assertThatThrownBy(() -> HttpEcho.parseLatency("-1")).hasMessage("LATENCY: -1 (expected: seconds >= 0)");
    }

    private HttpEcho echo(Map<String, String> env, @org.jspecify.annotations.Nullable InetSocketAddress proxy) {
        HttpEcho echo = new HttpEcho("127.0.0.1", env, proxy);
        closeables.add(echo);
        return echo;
    }

    private HttpResponse<String> get(InetSocketAddress address, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + hostPort(address) + "/"));
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String hostPort(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
