package dev.meshpilot.proxy.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.proxy.testing.GatewayClient;
import dev.meshpilot.proxy.testing.Tutorial;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Latency of {@code /hello} through the whole chain (gateway → hello sidecars → world sidecars → world-2: 7 proxy
 * hops and 3 echo servers), sequential requests after a short warm-up. Prints the figures; the bound only
 * catches gross regressions on a shared 2-core machine.
 */
class GatewayChainLatencyTest {

    @Test
    void helloChainMedianStaysUnderTwentyMilliseconds() {
        try (EmbeddedFleet fleet = new EmbeddedFleet(FleetOptions.localhost())) {
            fleet.start();
            fleet.apply(Tutorial.snapshot("c1", "helloworld.yaml", "helloworld-gw.yaml"));
            try (GatewayClient client = new GatewayClient(fleet.gatewayPort())) {
                for (int i = 0; i < 500; i++) {
                    assertThat(client.get("hello.example.com", "/hello").statusCode()).isEqualTo(200);
                }
                long[] micros = new long[1000];
                for (int i = 0; i < micros.length; i++) {
                    long start = System.nanoTime();
                    assertThat(client.get("hello.example.com", "/hello").body()).isEqualTo("hello world !!!");
                    micros[i] = (System.nanoTime() - start) / 1000;
                }
                Arrays.sort(micros);
                long p50 = micros[micros.length / 2];
                long p99 = micros[micros.length * 99 / 100];
                System.out.printf("gateway chain /hello: p50 %d µs, p99 %d µs (n=%d, sequential)%n", p50, p99,
                        micros.length);
                assertThat(p50).isLessThan(20_000);
            }
        }
    }
}
