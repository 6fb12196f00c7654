package dev.meshpilot.proxy.fleet;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.observability.metrics.IstioMetrics;
import dev.meshpilot.observability.trace.SpanStore;
import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.workload.WorkloadSpec;
import dev.meshpilot.proxy.endpoint.EndpointRegistry;
import dev.meshpilot.proxy.gateway.IngressGateway;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import dev.meshpilot.proxy.jwt.JwtSettings;
import dev.meshpilot.proxy.tls.ProxyIdentity;
import dev.meshpilot.proxy.route.Telemetry;
import dev.meshpilot.proxy.sidecar.SidecarSecurity;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs the mesh in this process: every Deployment whose image is {@code wardviaene/http-echo} with its replicas,
 * each instance an {@link dev.meshpilot.proxy.echo.HttpEcho} behind its own sidecar, plus the ingress gateway.
 * {@link #apply} reconciles make-before-break: new instances start and get the snapshot before old ones stop.
 */
public final class EmbeddedFleet implements AutoCloseable {

    /** How long a stopped instance keeps serving requests already sent to it. */
    static final long DRAIN_MILLIS = 2_000;
    private static final int LOG_CAPACITY = 2_000;
    private static final String IMAGE = "wardviaene/http-echo";

    private final FleetOptions options;
    private final EndpointRegistry registry = new EndpointRegistry();
    private final IstioMetrics metrics = new IstioMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    private final SpanStore spans = new SpanStore();
    private final Telemetry telemetry = new Telemetry(metrics, spans);
    private final Map<String, List<WorkloadInstance>> instances = new LinkedHashMap<>();
    private final List<WorkloadInstance> draining = new ArrayList<>();
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("fleet-drain").factory());
    private @Nullable IngressGateway gateway;
    private @Nullable FleetIdentities identities;
    private @Nullable ProxyIdentity gatewayIdentity;
    /** The snapshot the plain Service network of workloads without a sidecar resolves names with. */
    private volatile @Nullable MeshSnapshot live;
    /** The gateway's address for sidecars (JWKS of gateway-only hosts); read without the fleet's lock. */
    private volatile @Nullable InetSocketAddress gatewayAddress;
    private String liveVersion = "";

    public EmbeddedFleet(FleetOptions options) {
        this.options = requireNonNull(options, "options");
    }

    /** Starts the ingress gateway; it answers 404 {@code no route} until a snapshot is applied. */
    public synchronized void start() {
        if (gateway != null) {
            throw new IllegalStateException("fleet already started");
        }
        identities = FleetIdentities.open(options.ca());
        gatewayIdentity = identities.issue("istio-system", FleetIdentities.GATEWAY_SERVICE_ACCOUNT);
        gateway = new IngressGateway(new IngressGateway.Ports(options.bindHost(), options.gatewayPort(),
                options.gatewayHttpsPort(), options.credentials(), options.resolver()), registry, LOG_CAPACITY,
                telemetry, gatewayIdentity);
        gatewayAddress = gateway.address();
    }

    public synchronized int gatewayPort() {
        return requireGateway().address().getPort();
    }

    /** The gateway's HTTPS port: the Gateway servers of port 443 (SIMPLE, MUTUAL, ISTIO_MUTUAL, PASSTHROUGH). */
    public synchronized int gatewayHttpsPort() {
        return requireGateway().httpsAddress().getPort();
    }

    /** Whether {@code image} is the built-in echo workload, with or without a tag or {@code docker.io/}. */
    public static boolean isEchoImage(String image) {
        String name = image.startsWith("docker.io/") ? image.substring("docker.io/".length()) : image;
        int at = name.indexOf('@');
        if (at >= 0) {
            name = name.substring(0, at);
        }
        return name.equals(IMAGE) || name.startsWith(IMAGE + ":");
    }

    /** Reconciles the running instances with {@code snapshot.workloads()} and pushes the snapshot everywhere. */
    public synchronized ApplyReport apply(MeshSnapshot snapshot) {
        requireNonNull(snapshot, "snapshot");
        IngressGateway gw = requireGateway();
        List<String> messages = new ArrayList<>();
        Map<String, WorkloadSpec> desired = new LinkedHashMap<>();
        for (WorkloadSpec spec : snapshot.workloads()) {
            if (isEchoImage(spec.image())) {
                desired.put(spec.key(), spec);
            } else {
                messages.add(spec.key() + ": image " + spec.image() + " is not a built-in workload, skipped");
            }
        }
        List<WorkloadInstance> started = new ArrayList<>();
        List<WorkloadInstance> toStop = new ArrayList<>();
        live = snapshot;
        try {
            for (WorkloadSpec spec : desired.values()) {
                reconcile(spec, snapshot, started, toStop, messages);
            }
        } catch (RuntimeException e) {
            started.forEach(i -> registry.deregister(i.id));
            started.forEach(WorkloadInstance::close);
            instances.values().forEach(list -> list.removeAll(started));
            throw e;
        }
        for (String key : List.copyOf(instances.keySet())) {
            if (!desired.containsKey(key)) {
                List<WorkloadInstance> removed = instances.remove(key);
                toStop.addAll(removed);
                messages.add(key + ": removed, stopping " + removed.size() + " instance(s)");
            }
        }
        started.forEach(i -> registry.register(i.endpoint));
        for (List<WorkloadInstance> list : instances.values()) {
            for (WorkloadInstance instance : list) {
                if (instance.sidecar != null) {
                    instance.sidecar.apply(snapshot);
                }
            }
        }
        messages.addAll(gw.applyWithMessages(snapshot));
        liveVersion = snapshot.version();
        toStop.forEach(i -> registry.deregister(i.id));
        drain(toStop);
        return new ApplyReport(snapshot.version(), started.size(), toStop.size(), proxies(), messages);
    }

    private void reconcile(WorkloadSpec spec, MeshSnapshot snapshot, List<WorkloadInstance> started,
            List<WorkloadInstance> toStop, List<String> messages) {
        List<WorkloadInstance> running = instances.computeIfAbsent(spec.key(), k -> new ArrayList<>());
        List<WorkloadInstance> current = new ArrayList<>(running.stream().filter(i -> i.runs(spec)).toList());
        List<WorkloadInstance> outdated = running.stream().filter(i -> !i.runs(spec)).toList();
        int replicas = Math.max(0, spec.replicas());
        int added = 0;
        while (current.size() < replicas) {
            WorkloadInstance instance = WorkloadInstance.start(options.bindHost(), spec, registry, snapshot, LOG_CAPACITY, telemetry,
                    options.resolver(), requireNonNull(identities, "identities"), () -> live,
                    new SidecarSecurity(options.operatorToken(), () -> gatewayAddress, JwtSettings.DEFAULTS,
                            options.credentials()));
            started.add(instance);
            running.add(instance);
            current.add(instance);
            added++;
        }
        List<WorkloadInstance> surplus = current.subList(replicas, current.size());
        List<WorkloadInstance> stopping = new ArrayList<>(outdated);
        stopping.addAll(surplus);
        running.removeAll(stopping);
        toStop.addAll(stopping);
        if (!outdated.isEmpty()) {
            messages.add(spec.key() + ": pod template changed, replaced " + outdated.size() + " instance(s)");
        } else if (added > 0 || !surplus.isEmpty()) {
            messages.add(spec.key() + ": scaled to " + replicas + " (started " + added + ", stopped " + surplus.size() + ")");
        }
    }

    private void drain(List<WorkloadInstance> stopped) {
        if (stopped.isEmpty()) {
            return;
        }
        draining.addAll(stopped);
        reaper.schedule(() -> {
            synchronized (this) {
                draining.removeAll(stopped);
            }
            stopped.forEach(WorkloadInstance::close);
        }, DRAIN_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The gateway first, then every sidecar ordered by namespace, deployment and name. */
    public synchronized List<ProxyStatus> proxies() {
        List<ProxyStatus> all = new ArrayList<>();
        if (gateway != null) {
            all.add(new ProxyStatus(IngressGateway.PROXY_ID, "istio-system", "istio-ingressgateway",
                    gateway.version(), gateway.version().equals(liveVersion)));
        }
        instances.values().stream().flatMap(List::stream).filter(i -> i.sidecar != null)
                .sorted(Comparator.comparing((WorkloadInstance i) -> i.spec.namespace())
                        .thenComparing(i -> i.spec.name()).thenComparing(i -> i.id))
                .forEach(i -> all.add(new ProxyStatus(i.id, i.spec.namespace(), i.spec.name(),
                        i.sidecar.version(), i.sidecar.version().equals(liveVersion))));
        return List.copyOf(all);
    }

    /** The most recent access-log lines (JSON) of the sidecars of {@code namespace/deployment}, oldest first. */
    public synchronized List<String> logs(String namespace, String deployment, int limit) {
        requireNonNull(namespace, "namespace");
        requireNonNull(deployment, "deployment");
        List<String> lines = new ArrayList<>();
        for (WorkloadInstance i : instances.getOrDefault(namespace + "/" + deployment, List.of())) {
            if (i.sidecar != null) {
                lines.addAll(i.sidecar.log().buffer().last(limit));
            }
        }
        lines.sort(Comparator.naturalOrder());
        return List.copyOf(lines.subList(Math.max(0, lines.size() - limit), lines.size()));
    }

    /** {@link #logs(String, String, int)} with the last 100 lines. */
    public List<String> logs(String namespace, String deployment) {
        return logs(namespace, deployment, 100);
    }

    /** The most recent access-log lines of the ingress gateway, oldest first. */
    public synchronized List<String> gatewayLogs(int limit) {
        return requireGateway().log().buffer().last(limit);
    }

    /** The instance (pod) names of {@code namespace/deployment}. */
    public synchronized List<String> instanceNames(String namespace, String deployment) {
        return instances.getOrDefault(namespace + "/" + deployment, List.of()).stream().map(i -> i.id).toList();
    }

    /** Istio's standard metrics reported by every proxy of the fleet (reporter {@code source}). */
    public IstioMetrics metrics() {
        return metrics;
    }

    /** The spans every proxy of the fleet reported (client spans of gateway/outbound, server spans of inbound). */
    public SpanStore spans() {
        return spans;
    }

    public EndpointRegistry registry() {
        return registry;
    }

    private IngressGateway requireGateway() {
        if (gateway == null) {
            throw new IllegalStateException("fleet not started (call start() first)");
        }
        return gateway;
    }

    @Override
    public synchronized void close() {
        reaper.shutdownNow();
        instances.values().forEach(list -> list.forEach(WorkloadInstance::close));
        instances.clear();
        draining.forEach(WorkloadInstance::close);
        draining.clear();
        if (gateway != null) {
            gatewayAddress = null;
            gateway.close();
            gateway = null;
        }
        if (gatewayIdentity != null) {
            gatewayIdentity.close();
        }
        if (identities != null) {
            identities.close();
        }
    }

    /** The CA that issues the workload certificates of this fleet's proxies (after {@link #start()}). */
    public synchronized WorkloadCertificateAuthority certificateAuthority() {
        if (identities == null) {
            throw new IllegalStateException("fleet not started (call start() first)");
        }
        return identities.ca();
    }
}
