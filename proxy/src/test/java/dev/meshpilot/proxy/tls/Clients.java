package dev.meshpilot.proxy.tls;

import dev.meshpilot.proxy.identity.SpiffeId;
import dev.meshpilot.proxy.route.UpstreamClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/** The two ways a test calls a {@link PeerEchoServer}: as a plaintext client, or as a proxy over mutual TLS. */
final class Clients {

    static final Executor EXECUTOR = Executors.newVirtualThreadPerTaskExecutor();

    private Clients() {}

    /** A plaintext GET with a fresh connection; throws when the server refuses it. */
    static HttpResponse<String> plaintext(InetSocketAddress server) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** One try from {@code client} over mutual TLS, expecting the server to prove one of {@code peers}. */
    static UpstreamClient.Outcome mutual(UpstreamClient client, InetSocketAddress server, SpiffeId... peers)
            throws InterruptedException {
        return client.send(server, Set.of(peers), "GET", "world.ns2:8080", "/", Map.of(), new byte[0],
                Duration.ofSeconds(5), false);
    }

    static String body(UpstreamClient.Outcome outcome) {
        if (outcome.response() == null) {
            throw new AssertionError("no response: " + outcome.failure() + " " + outcome.error());
        }
        return new String(outcome.response().body(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
