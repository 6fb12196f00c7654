package dev.meshpilot.proxy.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.proxy.testing.GatewayClient;
import dev.meshpilot.proxy.testing.Tutorial;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Snapshot swaps under load, retries and timeouts (tutorial 7.5). */
class FleetResilienceTest {

    private EmbeddedFleet fleet;
    private GatewayClient client;

    @BeforeEach
    void start() {
        fleet = new EmbeddedFleet(FleetOptions.localhost());
        fleet.start();
        client = new GatewayClient(fleet.gatewayPort());
    }

    @AfterEach
    void stop() {
        client.close();
        fleet.close();
    }

    @Test
    void snapshotSwapsUnderLoadLoseNoRequest() throws Exception {
        fleet.apply(canary("c0", 90, 3));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        List<Future<?>> clients = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 8; c++) {
                clients.add(pool.submit(() -> {
                    while (running.get()) {
                        HttpResponse<String> r = client.get("hello.example.com", "/");
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                        } else {
                            failures.merge(r.statusCode() + " " + r.body(), 1, Integer::sum);
                        }
                    }
                }));
            }
            try {
                for (int v = 1; v <= 6; v++) {
                    Thread.sleep(150);
                    fleet.apply(canary("c" + v, v % 2 == 0 ? 90 : 10, v == 3 ? 2 : 3));
                }
                Thread.sleep(300);
            } finally {
                running.set(false);
            }
            for (Future<?> f : clients) {
                f.get();
            }
        }
        assertThat(failures).isEmpty();
        assertThat(ok.get()).isGreaterThan(100);
        assertThat(fleet.proxies()).allMatch(p -> p.version().equals("c6") && p.synced());
    }

    @Test
    void retriesAroundTheSlowPodSoNoRequestFailsOrTakesTenSeconds() throws Exception {
        fleet.apply(Tutorial.snapshot("v3", "helloworld.yaml", "helloworld-gw.yaml", "helloworld-v3.yaml"));
        assertThat(fleet.instanceNames("default", "hello-v3")).hasSize(2);
        assertThat(fleet.instanceNames("default", "hello-v3-latency")).hasSize(1);
        List<Future<Result>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(30, Thread.ofVirtual().factory())) {
            for (int i = 0; i < 300; i++) {
                results.add(pool.submit(() -> {
                    long start = System.nanoTime();
                    HttpResponse<String> r = client.get("hello-v3.example.com", "/");
                    return new Result(r.statusCode(), r.body(), Duration.ofNanos(System.nanoTime() - start));
                }));
            }
        }
        List<Result> all = new ArrayList<>();
        for (Future<Result> f : results) {
            all.add(f.get());
        }
        assertThat(all).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).matches("hello, this is hello-v3-[a-z0-9]{5}");
            assertThat(r.duration()).isLessThan(Duration.ofSeconds(5));
        });
        assertThat(all).filteredOn(r -> r.duration().compareTo(Duration.ofMillis(1900)) > 0).isNotEmpty();
        assertThat(fleet.gatewayLogs(2000)).anyMatch(line -> line.contains("\"hello-v3.example.com\""));
    }

    @Test
    void answers503WhenTheSubsetHasNoEndpoint() {
        String v2Routing = Tutorial.read("helloworld-v2-canary.yaml");
        fleet.apply(Tutorial.compile("c1", List.of(new SourceFile("helloworld.yaml", Tutorial.read("helloworld.yaml")),
                new SourceFile("helloworld-gw.yaml", Tutorial.read("helloworld-gw.yaml").split("(?m)^---$")[0]),
                new SourceFile("canary.yaml", v2Routing.replace("weight: 90", "weight: 0")
                        .replace("weight: 10", "weight: 100")))));
        HttpResponse<String> response = client.get("hello.example.com", "/");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("no healthy upstream for hello.default.svc.cluster.local subset v2");
    }

    private static MeshSnapshot canary(String version, int v1Weight, int v2Replicas) {
        return Tutorial.compile(version, List.of(new SourceFile("helloworld.yaml", Tutorial.read("helloworld.yaml")),
                new SourceFile("helloworld-gw.yaml", Tutorial.read("helloworld-gw.yaml")),
                new SourceFile("helloworld-v2.yaml", Tutorial.read("helloworld-v2.yaml")
                        .replace("replicas: 3", "replicas: " + v2Replicas)),
                new SourceFile("helloworld-v2-canary.yaml", Tutorial.read("helloworld-v2-canary.yaml")
                        .replace("weight: 90", "weight: V1").replace("weight: 10", "weight: V2")
                        .replace("weight: V1", "weight: " + v1Weight)
                        .replace("weight: V2", "weight: " + (100 - v1Weight)))));
    }

    private record Result(int status, String body, Duration duration) {}
}
