package dev.meshpilot.proxy.testing;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.proxy.endpoint.Endpoint;
import dev.meshpilot.proxy.endpoint.EndpointRegistry;
import dev.meshpilot.proxy.egress.HostResolver;
import dev.meshpilot.proxy.route.Telemetry;
import dev.meshpilot.proxy.sidecar.Sidecar;
import dev.meshpilot.proxy.sidecar.SidecarSecurity;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A real sidecar in front of a {@link RecordingWorkload}, serving one snapshot; requests go to its inbound port. */
public final class InboundUnderTest implements AutoCloseable {

    private final RecordingWorkload workload = new RecordingWorkload();
    private final EndpointRegistry registry = new EndpointRegistry();
    private final Sidecar sidecar;
    private final AtomicInteger requests = new AtomicInteger();

    public InboundUnderTest(ProxyRef self, MeshSnapshot snapshot, SidecarSecurity security) {
        requireNonNull(snapshot, "snapshot");
        this.sidecar = new Sidecar("127.0.0.1", "under-test", self, registry, 100, Telemetry.none(),
                HostResolver.SYSTEM, security);
        sidecar.apply(snapshot);
        sidecar.attach(workload.address());
    }

    /** Makes {@code endpoint} reachable through the sidecar's outbound listener (as the fleet registers pods). */
    public void register(Endpoint endpoint) {
        registry.register(endpoint);
    }

    /** Swaps in {@code snapshot}, as the fleet's apply does. */
    public void apply(MeshSnapshot snapshot) {
        sidecar.apply(snapshot);
    }

    public RawHttp.Response get(String host, String target, String... headers) {
        requests.incrementAndGet();
        return RawHttp.get(sidecar.inboundAddress(), host, target, headers);
    }

    /** Sends {@code request} byte for byte (counted as one request for {@link #lastLine}). */
    public RawHttp.Response send(String request) {
        requests.incrementAndGet();
        return RawHttp.send(sidecar.inboundAddress(), request);
    }

    public InetSocketAddress inbound() {
        return sidecar.inboundAddress();
    }

    public RecordingWorkload workload() {
        return workload;
    }

    /** The access-log lines (JSON) of the sidecar, oldest first. */
    public List<String> log() {
        return sidecar.log().buffer().last(100);
    }

    /** The inbound access-log line of the last request sent (the sidecar writes it just after answering). */
    public String lastLine() {
        Eventually.within(Duration.ofSeconds(5), () -> {
            if (inboundLines().size() < requests.get()) {
                throw new AssertionError("the sidecar logged " + inboundLines().size() + " of " + requests.get()
                        + " inbound requests");
            }
        });
        List<String> lines = inboundLines();
        return lines.get(lines.size() - 1);
    }

    private List<String> inboundLines() {
        return log().stream().filter(line -> line.contains("\"reporter\":\"destination\"")).toList();
    }

    @Override
    public void close() {
        sidecar.close();
        workload.close();
    }
}
