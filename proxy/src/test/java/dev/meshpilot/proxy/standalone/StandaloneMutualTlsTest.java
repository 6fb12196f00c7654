package dev.meshpilot.proxy.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpilot.proxy.echo.HttpEcho;
import dev.meshpilot.proxy.route.Telemetry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's two mTLS hops: standalone outbound sidecar → standalone inbound sidecar (STRICT) → backend. */
class StandaloneMutualTlsTest {

    @TempDir
    Path dir;

    @Test
    void forwardsOverMutualTlsToAStrictInboundSidecar() throws Exception {
        Path ca = dir.resolve("ca");
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        try (HttpEcho backend = new HttpEcho("127.0.0.1", Map.of("TEXT", "hello"), null);
                BenchInbound.Identities upstream = BenchInbound.Identities.open(ca, "inbound");
                BenchInbound inbound = new BenchInbound(any, backend.address(), upstream.identity(), Telemetry.none());
                BenchInbound.Identities client = BenchInbound.Identities.open(ca, "outbound");
                StandaloneSidecar outbound = new StandaloneSidecar(any, inbound.address(), false, client.identity());
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {

            HttpResponse<String> response = http.send(get(outbound.address()), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello");
            assertThatThrownBy(() -> http.send(get(inbound.address()), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        }
    }

    private static HttpRequest get(InetSocketAddress address) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + "/"))
                .timeout(Duration.ofSeconds(5)).build();
    }
}
