package dev.meshpilot.observability.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import dev.meshpilot.observability.metrics.MetricHistory.Point;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class MetricHistoryTest {

    private static final String HELLO = "hello.default.svc.cluster.local";

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-24T17:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final MetricHistory history = new MetricHistory(clock, "destination");
    private final IstioMetrics metrics =
            new IstioMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(history));

    private void request(String version, int code, double millis) {
        metrics.record(new RequestMetric(IstioMetricsTest.hello(version, code).build(), millis, 0, 10));
    }

    @Test
    void countsRequestsAndErrorsPerVersionInTenSecondSteps() {
        request("v1", 200, 5);
        request("v1", 503, 5);
        request("v2", 200, 5);
        clock.now = clock.now.plusSeconds(10);
        request("v1", 200, 5);

        List<Point> v1 = history.series(HELLO, "v1", Duration.ofSeconds(20));

        assertThat(v1).extracting(Point::start)
                .containsExactly(Instant.parse("2026-11-24T17:00:00Z"), Instant.parse("2026-11-24T17:00:10Z"));
        assertThat(v1).extracting(Point::requests).containsExactly(2L, 1L);
        assertThat(v1).extracting(Point::errors).containsExactly(1L, 0L);
        assertThat(v1.get(0).errorRate()).isEqualTo(0.5);
        assertThat(history.series(HELLO, null, Duration.ofSeconds(20))).extracting(Point::requests)
                .containsExactly(3L, 1L);
        assertThat(history.versions(HELLO)).containsExactly("v1", "v2");
    }

    @Test
    void computesP50AndP99WithinTenPercent() {
        for (int i = 1; i <= 100; i++) {
            request("v1", 200, i);
        }

        Point point = history.series(HELLO, "v1", Duration.ofSeconds(10)).get(0);

        assertThat(point.p50Millis()).isCloseTo(50, within(5.0));
        assertThat(point.p99Millis()).isCloseTo(99, within(9.9));
        assertThat(point.requests()).isEqualTo(100);
    }

    @Test
    void reportsTheExactValueOfASingleRequest() {
        request("v2", 200, 7.3);

        Point point = history.series(HELLO, "v2", Duration.ofSeconds(1)).get(0);

        assertThat(point.p50Millis()).isEqualTo(7.3);
        assertThat(point.p99Millis()).isEqualTo(7.3);
    }

    @Test
    void forgetsStepsOlderThanThirtyMinutes() {
        request("v1", 200, 5);
        clock.now = clock.now.plus(Duration.ofMinutes(30));
        request("v1", 200, 9);

        List<Point> points = history.series(HELLO, "v1", Duration.ofHours(1));

        assertThat(points).hasSize(180);
        assertThat(points.stream().mapToLong(Point::requests).sum()).isEqualTo(1);
        assertThat(points.get(179).p50Millis()).isEqualTo(9);
    }

    @Test
    void ignoresSourceReportsByDefault() {
        metrics.record(new RequestMetric(IstioMetricsTest.hello("v1", 200).reporter("source").build(), 5, 0, 0));

        assertThat(history.series(HELLO, "v1", Duration.ofSeconds(10))).extracting(Point::requests)
                .containsExactly(0L);
        assertThat(history.versions(HELLO)).isEmpty();
    }

    @Test
    void returnsZeroPointsForUnknownServices() {
        assertThat(history.series("nothing.default.svc.cluster.local", null, Duration.ofMinutes(1)))
                .hasSize(6).allSatisfy(point -> assertThat(point.requests()).isZero());
    }
}
