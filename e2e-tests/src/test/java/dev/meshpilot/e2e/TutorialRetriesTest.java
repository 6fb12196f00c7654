package dev.meshpilot.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.e2e.support.EmbeddedMeshpilot;
import dev.meshpilot.e2e.support.Eventually;
import dev.meshpilot.e2e.support.Eventually.Observation;
import dev.meshpilot.e2e.support.GatewayClient;
import dev.meshpilot.e2e.support.TutorialFiles;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tutorial 7.5, "Running retries": {@code helloworld-v3.yaml} pushed unchanged. One of the three v3 pods sleeps
 * 5 s, the route has a 2 s per-try timeout, two retries and a 10 s timeout: users never see the slow pod.
 */
class TutorialRetriesTest {

    private static final String HOST = "hello-v3.example.com";
    private static final int REQUESTS = 300;
    private static final int PARALLEL = 12;
    private static final Pattern FAST_POD = Pattern.compile("hello, this is (hello-v3-[a-z0-9]{5})");

    @RegisterExtension
    final EmbeddedMeshpilot mesh = new EmbeddedMeshpilot();

    @Test
    void noRequestFailsOrWaitsForThePodThatSleepsFiveSeconds() throws Exception {
        // helloworld-v3.yaml's DestinationRule "hello" (subsets v1, v2, v3) replaces the canary file's one
        mesh.pushAndAwaitApplied("Add hello v3 with retries (tutorial 7.5)", Map.of(
                        "helloworld-v3.yaml", TutorialFiles.read("helloworld-v3.yaml"),
                        "helloworld-v2-canary.yaml", TutorialFiles.withoutDocument(
                                mesh.clone().read("helloworld-v2-canary.yaml"), "DestinationRule", "hello")),
                List.of());
        GatewayClient gateway = mesh.gateway();
        Eventually.await(HOST + " answers", Duration.ofSeconds(20), () -> {
            HttpResponse<String> response = gateway.get(HOST, "/");
            return new Observation(response.statusCode() == 200, response.statusCode() + " " + response.body());
        });

        List<Answer> answers = sendInParallel(gateway);

        Map<String, Integer> failures = new TreeMap<>();
        Set<String> pods = new TreeSet<>();
        Duration slowest = Duration.ZERO;
        for (Answer answer : answers) {
            Matcher fast = FAST_POD.matcher(answer.body());
            if (answer.status() == 200 && fast.matches()) {
                pods.add(fast.group(1));
            } else {
                failures.merge(answer.status() + " " + answer.body(), 1, Integer::sum);
            }
            slowest = answer.took().compareTo(slowest) > 0 ? answer.took() : slowest;
        }
        assertThat(failures).as("answers other than 200 from a fast hello-v3 pod").isEmpty();
        assertThat(slowest).as("the slowest of %d requests", REQUESTS).isLessThan(Duration.ofSeconds(10));
        assertThat(pods).as("pods that answered").hasSize(2);
        assertThat(slowest).as("the slowest request (it waited for the 5 s pod until the 2 s per-try timeout)")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    private static List<Answer> sendInParallel(GatewayClient gateway) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Callable<Answer>> calls = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                calls.add(() -> {
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> response = gateway.get(HOST, "/");
                        return new Answer(response.statusCode(), response.body().strip(),
                                Duration.ofNanos(System.nanoTime() - start));
                    } catch (IllegalStateException e) {
                        return new Answer(0, e.getMessage(), Duration.ofNanos(System.nanoTime() - start));
                    }
                });
            }
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> future : pool.invokeAll(calls, 90, TimeUnit.SECONDS)) {
                try {
                    answers.add(future.get());
                } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                    answers.add(new Answer(0, "not answered within 90 s: " + e, Duration.ofSeconds(90)));
                }
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private record Answer(int status, String body, Duration took) {}
}
