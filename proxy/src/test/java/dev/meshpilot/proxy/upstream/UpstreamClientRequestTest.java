package dev.meshpilot.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.proxy.route.UpstreamClient;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** What {@link UpstreamClient} puts on the wire and how it hands back the answer. */
class UpstreamClientRequestTest {

    @Test
    void forwardsEndToEndHeadersOnlyAndTheAuthorityInXForwardedHost() throws Exception {
        try (ScriptedServer server = new ScriptedServer(UpstreamClientRequestTest::answer);
                UpstreamClient client = new UpstreamClient(Executors.newVirtualThreadPerTaskExecutor())) {
            Map<String, List<String>> headers = Map.of("connection", List.of("keep-alive, x-drop"),
                    "keep-alive", List.of("timeout=5"), "te", List.of("trailers"), "upgrade", List.of("h2c"),
                    "proxy-authorization", List.of("Basic eA=="), "transfer-encoding", List.of("chunked"),
                    "x-forwarded-host", List.of("spoofed"), "x-custom", List.of("a", "b"), "host", List.of("h:1"));

            UpstreamClient.Outcome outcome = client.send(server.address(), "POST", "hello.ns:8080", "/p?q=1", headers,
                    "body".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2));

            assertThat(outcome.failure()).isEqualTo(UpstreamClient.Failure.NONE);
            String request = server.requests.get(0).toLowerCase();
            assertThat(request).startsWith("post /p?q=1 http/1.1\r\n")
                    .contains("host: 127.0.0.1:" + server.address().getPort() + "\r\n",
                            "x-forwarded-host: hello.ns:8080\r\n", "x-custom: a\r\n", "x-custom: b\r\n",
                            "content-length: 4\r\n")
                    .doesNotContain("keep-alive", "trailers", "upgrade", "proxy-authorization", "chunked", "spoofed",
                            "h:1");
            UpstreamResponse response = outcome.response();
            assertThat(response).isNotNull();
            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(response.header("X-Reply")).isEqualTo("yes");
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("done");
        }
    }

    private static void answer(Socket socket, ScriptedServer server) throws IOException {
        while (server.readRequest(socket.getInputStream()) != null) {
            ScriptedServer.write(socket, "HTTP/1.1 201 Created\r\nx-reply: yes\r\nContent-Length: 4\r\n\r\ndone");
        }
    }
}
