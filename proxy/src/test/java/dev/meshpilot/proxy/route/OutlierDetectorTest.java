package dev.meshpilot.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.route.TrafficPolicy.OutlierDetection;
import dev.meshpilot.proxy.endpoint.Endpoint;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OutlierDetectorTest {

    private static final String CLUSTER = "outbound|8080||flappy.default.svc.cluster.local";
    private final AtomicLong now = new AtomicLong();
    private final OutlierDetector detector = new OutlierDetector(now::get);
    private final List<Endpoint> endpoints = List.of(endpoint("a"), endpoint("b"), endpoint("c"), endpoint("d"));
    private final OutlierDetection policy = new OutlierDetection(3, null, Duration.ofSeconds(1), Duration.ofSeconds(10), 50);

    @Test
    void ejectsAfterTheConsecutive5xxThresholdForTheBaseEjectionTime() {
        Endpoint a = endpoints.get(0);

        assertThat(detector.record(CLUSTER, a, endpoints, 503, policy)).isFalse();
        assertThat(detector.record(CLUSTER, a, endpoints, 0, policy)).isFalse();
        assertThat(detector.record(CLUSTER, a, endpoints, 500, policy)).isTrue();

        assertThat(detector.healthy(CLUSTER, endpoints)).doesNotContain(a).hasSize(3);
        now.addAndGet(Duration.ofSeconds(10).toNanos() - 1);
        assertThat(detector.ejected(CLUSTER, a)).isTrue();
        now.addAndGet(1);
        assertThat(detector.healthy(CLUSTER, endpoints)).contains(a);
    }

    @Test
    void aSuccessResetsTheCount() {
        Endpoint a = endpoints.get(0);

        detector.record(CLUSTER, a, endpoints, 503, policy);
        detector.record(CLUSTER, a, endpoints, 503, policy);
        detector.record(CLUSTER, a, endpoints, 200, policy);

        assertThat(detector.record(CLUSTER, a, endpoints, 503, policy)).isFalse();
        assertThat(detector.ejected(CLUSTER, a)).isFalse();
    }

    @Test
    void aSecondEjectionLastsTwiceAsLong() {
        Endpoint a = endpoints.get(0);
        failTimes(a, 3);
        now.addAndGet(Duration.ofSeconds(10).toNanos());

        failTimes(a, 3);
        now.addAndGet(Duration.ofSeconds(19).toNanos());

        assertThat(detector.ejected(CLUSTER, a)).isTrue();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(detector.ejected(CLUSTER, a)).isFalse();
    }

    @Test
    void neverEjectsMoreThanMaxEjectionPercent() {
        endpoints.forEach(e -> failTimes(e, 3));

        assertThat(endpoints.stream().filter(e -> detector.ejected(CLUSTER, e))).hasSize(2);
        assertThat(detector.healthy(CLUSTER, endpoints)).hasSize(2);
    }

    @Test
    void withoutAPolicyNothingIsEjected() {
        Endpoint a = endpoints.get(0);
        for (int i = 0; i < 10; i++) {
            assertThat(detector.record(CLUSTER, a, endpoints, 503, null)).isFalse();
        }
        assertThat(detector.healthy(CLUSTER, endpoints)).isEqualTo(endpoints);
    }

    private void failTimes(Endpoint e, int times) {
        for (int i = 0; i < times; i++) {
            detector.record(CLUSTER, e, endpoints, 503, policy);
        }
    }

    private static Endpoint endpoint(String suffix) {
        return new Endpoint("flappy-" + suffix, "default", "flappy", Map.of("app", "flappy"), "default",
                InetSocketAddress.createUnresolved("127.0.0.1", 1));
    }
}
