package dev.meshpilot.observability.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class IstioMetricsTest {

    static final String LABELS = "connection_security_policy=\"mutual_tls\","
            + "destination_app=\"helloworld\",destination_cluster=\"Kubernetes\","
            + "destination_principal=\"spiffe://cluster.local/ns/default/sa/default\","
            + "destination_service=\"hello.default.svc.cluster.local\",destination_service_name=\"hello\","
            + "destination_service_namespace=\"default\",destination_version=\"v1\","
            + "destination_workload=\"helloworld-v1\",destination_workload_namespace=\"default\","
            + "reporter=\"destination\",request_protocol=\"http\",response_code=\"200\",response_flags=\"-\","
            + "source_app=\"istio-ingressgateway\",source_cluster=\"Kubernetes\","
            + "source_principal=\"spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway\","
            + "source_version=\"unknown\",source_workload=\"istio-ingressgateway\","
            + "source_workload_namespace=\"istio-system\"";

    static RequestLabels.Builder hello(String version, int code) {
        return RequestLabels.builder().reporter("destination")
                .sourceWorkload("istio-ingressgateway").sourceWorkloadNamespace("istio-system")
                .sourcePrincipal("spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway")
                .sourceApp("istio-ingressgateway").sourceVersion(null).sourceCluster("Kubernetes")
                .destinationWorkload("helloworld-" + version).destinationWorkloadNamespace("default")
                .destinationPrincipal("spiffe://cluster.local/ns/default/sa/default")
                .destinationApp("helloworld").destinationVersion(version)
                .destinationService("hello.default.svc.cluster.local").destinationServiceName("hello")
                .destinationServiceNamespace("default").destinationCluster("Kubernetes")
                .requestProtocol("http").responseCode(code).connectionSecurityPolicy("mutual_tls");
    }

    private final IstioMetrics metrics = new IstioMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));

    private List<String> lines() {
        return Arrays.asList(metrics.scrape().split("\n"));
    }

    @Test
    void scrapeShowsIstioRequestCounterWithIstioLabels() {
        metrics.record(new RequestMetric(hello("v1", 200).build(), 7, 12, 345));
        metrics.record(new RequestMetric(hello("v1", 200).build(), 30, 0, 345));

        assertThat(lines()).contains("# TYPE istio_requests_total counter", "istio_requests_total{" + LABELS + "} 2.0");
    }

    @Test
    void scrapeShowsDurationHistogramWithIstioBuckets() {
        metrics.record(new RequestMetric(hello("v1", 200).build(), 7, 12, 345));

        String prefix = "istio_request_duration_milliseconds_bucket{" + LABELS + ",le=\"";
        List<String> buckets = lines().stream().filter(line -> line.startsWith(prefix)).toList();
        assertThat(buckets).containsExactly(
                prefix + "1.0\"} 0", prefix + "5.0\"} 0", prefix + "10.0\"} 1", prefix + "25.0\"} 1",
                prefix + "50.0\"} 1", prefix + "100.0\"} 1", prefix + "250.0\"} 1", prefix + "500.0\"} 1",
                prefix + "1000.0\"} 1", prefix + "2500.0\"} 1", prefix + "5000.0\"} 1", prefix + "10000.0\"} 1",
                prefix + "30000.0\"} 1", prefix + "60000.0\"} 1", prefix + "300000.0\"} 1",
                prefix + "600000.0\"} 1", prefix + "1800000.0\"} 1", prefix + "3600000.0\"} 1",
                prefix + "+Inf\"} 1");
        assertThat(lines()).contains("# TYPE istio_request_duration_milliseconds histogram",
                "istio_request_duration_milliseconds_count{" + LABELS + "} 1",
                "istio_request_duration_milliseconds_sum{" + LABELS + "} 7.0");
    }

    @Test
    void scrapeShowsRequestAndResponseByteHistograms() {
        metrics.record(new RequestMetric(hello("v1", 200).build(), 7, 12, 345));

        assertThat(lines()).contains(
                "# TYPE istio_request_bytes histogram",
                "istio_request_bytes_bucket{" + LABELS + ",le=\"10.0\"} 0",
                "istio_request_bytes_bucket{" + LABELS + ",le=\"100.0\"} 1",
                "istio_request_bytes_sum{" + LABELS + "} 12.0",
                "# TYPE istio_response_bytes histogram",
                "istio_response_bytes_bucket{" + LABELS + ",le=\"100.0\"} 0",
                "istio_response_bytes_bucket{" + LABELS + ",le=\"1000.0\"} 1",
                "istio_response_bytes_count{" + LABELS + "} 1");
    }

    @Test
    void separatesSeriesByLabelSet() {
        metrics.record(new RequestMetric(hello("v1", 200).build(), 1, 0, 0));
        metrics.record(new RequestMetric(hello("v2", 503).responseFlags("UH").build(), 1, 0, 0));

        assertThat(lines().stream().filter(line -> line.startsWith("istio_requests_total{")))
                .hasSize(2)
                .anySatisfy(line -> assertThat(line).contains("destination_version=\"v2\"",
                        "response_code=\"503\"", "response_flags=\"UH\"").endsWith(" 1.0"));
    }

    @Test
    void notifiesListenersOfEveryRecordedRequest() {
        List<RequestMetric> seen = new ArrayList<>();
        metrics.addListener(seen::add);
        RequestMetric metric = new RequestMetric(hello("v1", 200).build(), 3, 1, 2);

        metrics.record(metric);

        assertThat(seen).containsExactly(metric);
    }

    @Test
    void keepsCountingAndNotifyingWhenOneListenerThrows() {
        List<RequestMetric> seen = new ArrayList<>();
        metrics.addListener(metric -> {
            throw new IllegalStateException("broken listener");
        });
        metrics.addListener(seen::add);

        metrics.record(new RequestMetric(hello("v1", 200).build(), 3, 1, 2));

        assertThat(seen).hasSize(1);
        assertThat(lines()).contains("istio_requests_total{" + LABELS + "} 1.0");
    }

    @Test
    void labelsDefaultToUnknownLikeIstio() {
        RequestLabels labels = RequestLabels.builder().reporter("source").responseCode(404).build();

        assertThat(labels.sourceWorkload()).isEqualTo("unknown");
        assertThat(labels.responseFlags()).isEqualTo("-");
        assertThat(labels.connectionSecurityPolicy()).isEqualTo("unknown");
    }

    @Test
    void rejectsUnknownSecurityPolicyAndNegativeDuration() {
        assertThatThrownBy(() -> RequestLabels.builder().connectionSecurityPolicy("tls").build())
                .hasMessage("connectionSecurityPolicy: tls (expected: mutual_tls, none or unknown)");
        assertThatThrownBy(() -> new RequestMetric(hello("v1", 200).build(), -1, 0, 0))
                .hasMessage("durationMillis: -1.0 (expected: >= 0)");
    }
}
