package dev.meshpilot.observability.metrics;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Istio's standard HTTP metrics with Istio's names, labels and buckets, so Istio's Grafana dashboards work:
 * {@code istio_requests_total}, {@code istio_request_duration_milliseconds}, {@code istio_request_bytes},
 * {@code istio_response_bytes}.
 *
 * <p>{@link #record} is cheap once a label set has been seen: one map lookup and four meter updates.
 * Listeners (such as {@link MetricHistory}) see every recorded request on the caller's thread; one that
 * throws is logged and skipped.
 */
public final class IstioMetrics {

    public static final String REQUESTS_TOTAL = "istio_requests_total";
    public static final String REQUEST_DURATION = "istio_request_duration_milliseconds";
    public static final String REQUEST_BYTES = "istio_request_bytes";
    public static final String RESPONSE_BYTES = "istio_response_bytes";

    /** Istio's duration buckets in milliseconds. */
    public static final List<Double> DURATION_BUCKETS = List.of(1d, 5d, 10d, 25d, 50d, 100d, 250d, 500d, 1000d,
            2500d, 5000d, 10000d, 30000d, 60000d, 300000d, 600000d, 1800000d, 3600000d);
    /** Istio's size buckets in bytes: powers of ten from 1 to 1e9. */
    public static final List<Double> SIZE_BUCKETS =
            List.of(1d, 10d, 100d, 1000d, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9);

    private static final System.Logger LOG = System.getLogger(IstioMetrics.class.getName());

    private record Meters(Counter requests, DistributionSummary duration, DistributionSummary requestBytes,
            DistributionSummary responseBytes) {}

    private final PrometheusMeterRegistry registry;
    private final ConcurrentHashMap<RequestLabels, Meters> meters = new ConcurrentHashMap<>();
    private final List<Consumer<? super RequestMetric>> listeners;

    public IstioMetrics(PrometheusMeterRegistry registry) {
        this(registry, List.of());
    }

    public IstioMetrics(PrometheusMeterRegistry registry, List<? extends Consumer<? super RequestMetric>> listeners) {
        this.registry = requireNonNull(registry, "registry");
        this.listeners = new CopyOnWriteArrayList<>(requireNonNull(listeners, "listeners"));
    }

    /** Adds a listener that sees every request recorded from now on. */
    public void addListener(Consumer<? super RequestMetric> listener) {
        listeners.add(requireNonNull(listener, "listener"));
    }

    /** Counts one request and observes its duration and sizes, then notifies the listeners. */
    public void record(RequestMetric metric) {
        requireNonNull(metric, "metric");
        Meters m = meters.get(metric.labels());
        if (m == null) {
            m = meters.computeIfAbsent(metric.labels(), this::register);
        }
        m.requests().increment();
        m.duration().record(metric.durationMillis());
        m.requestBytes().record(metric.requestBytes());
        m.responseBytes().record(metric.responseBytes());
        for (Consumer<? super RequestMetric> listener : listeners) {
            try {
                listener.accept(metric);
            } catch (RuntimeException e) {
                // A broken listener must not fail the request that is being recorded.
                LOG.log(System.Logger.Level.WARNING, "metric listener " + listener + " failed", e);
            }
        }
    }

    /** The Prometheus text exposition of the registry (these metrics and whatever else it holds). */
    public String scrape() {
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    private Meters register(RequestLabels labels) {
        Tags tags = tags(labels);
        return new Meters(
                Counter.builder(REQUESTS_TOTAL).description("Requests handled by the proxy (Istio standard metric)")
                        .tags(tags).register(registry),
                histogram(REQUEST_DURATION, "Request duration in milliseconds", DURATION_BUCKETS, tags),
                histogram(REQUEST_BYTES, "Request body size in bytes", SIZE_BUCKETS, tags),
                histogram(RESPONSE_BYTES, "Response body size in bytes", SIZE_BUCKETS, tags));
    }

    private DistributionSummary histogram(String name, String description, List<Double> buckets, Tags tags) {
        return DistributionSummary.builder(name).description(description)
                .serviceLevelObjectives(buckets.stream().mapToDouble(Double::doubleValue).toArray())
                .tags(tags).register(registry);
    }

    static Tags tags(RequestLabels l) {
        return Tags.of(
                "reporter", l.reporter(),
                "source_workload", l.sourceWorkload(),
                "source_workload_namespace", l.sourceWorkloadNamespace(),
                "source_principal", l.sourcePrincipal(),
                "source_app", l.sourceApp(),
                "source_version", l.sourceVersion(),
                "source_cluster", l.sourceCluster(),
                "destination_workload", l.destinationWorkload(),
                "destination_workload_namespace", l.destinationWorkloadNamespace(),
                "destination_principal", l.destinationPrincipal(),
                "destination_app", l.destinationApp(),
                "destination_version", l.destinationVersion(),
                "destination_service", l.destinationService(),
                "destination_service_name", l.destinationServiceName(),
                "destination_service_namespace", l.destinationServiceNamespace(),
                "destination_cluster", l.destinationCluster(),
                "request_protocol", l.requestProtocol(),
                "response_code", Integer.toString(l.responseCode()),
                "response_flags", l.responseFlags(),
                "connection_security_policy", l.connectionSecurityPolicy());
    }
}
