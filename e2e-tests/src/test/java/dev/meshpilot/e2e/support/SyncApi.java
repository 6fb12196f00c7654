package dev.meshpilot.e2e.support;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/** The console's {@code GET /api/sync/{commit}} as a program (a CI job, {@code curl -u admin}) reads it. */
public final class SyncApi {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String consoleUrl;
    private final String authorization;

    public SyncApi(String consoleUrl, String user, String password) {
        this.consoleUrl = consoleUrl;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static SyncApi of(MeshpilotUnderTest meshpilot) {
        return new SyncApi(meshpilot.consoleUrl(), "admin", meshpilot.adminPassword());
    }

    /**
     * Waits until {@code commitId} is synced and returns once it is {@code APPLIED}; fails at once, with the
     * findings and messages the console shows, when it is REJECTED or FAILED.
     */
    public void awaitApplied(String commitId, Duration timeout) {
        String[] last = {""};
        Eventually.await("commit " + commitId + " synced", timeout, () -> {
            HttpResponse<String> response = get("/api/sync/" + commitId);
            last[0] = response.body();
            return new Eventually.Observation(response.statusCode() == 200, response.statusCode() + " " + last[0]);
        });
        String state = JsonPath.read(last[0], "$.state");
        if (!state.equals("APPLIED")) {
            List<String> findings = JsonPath.read(last[0], "$.findings");
            List<String> messages = JsonPath.read(last[0], "$.messages");
            throw new AssertionError("commit " + commitId + " is " + state + ", expected APPLIED\nfindings: "
                    + findings + "\nmessages: " + messages);
        }
    }

    private HttpResponse<String> get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(consoleUrl + path))
                .header("Authorization", authorization).timeout(Duration.ofSeconds(10)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
