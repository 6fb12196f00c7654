package dev.meshpilot.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.e2e.support.Eventually;
import dev.meshpilot.e2e.support.Eventually.Observation;
import dev.meshpilot.e2e.support.ExternalHost;
import dev.meshpilot.e2e.support.GatewayClient;
import dev.meshpilot.e2e.support.MeshClone;
import dev.meshpilot.e2e.support.MeshpilotUnderTest;
import dev.meshpilot.e2e.support.SyncApi;
import dev.meshpilot.e2e.support.TutorialFiles;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tutorial 7.10, egress: a pod of the user's ({@code whatismyip}, http-echo with {@code NEXT: "ifconfig.co:80"})
 * calls ifconfig.co, played by a local server that {@code --resolve ifconfig.co:80=127.0.0.1:PORT} points at.
 * The tutorial's {@code external-service.yaml} is pushed unchanged. Its HTTPS part (a {@code tls} route on 443)
 * is not exercised: http-echo only makes plain HTTP calls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TutorialEgressTest {

    private static final String HOST = "whatismyip.example.com";
    private static final String EXTERNAL_ANSWER = "203.0.113.7";
    private static final String SERVICE_ENTRY = "external-service.yaml";
    private static final String APP = "whatismyip.yaml";
    private static final String REGISTRY_ONLY = "registry-only.yaml";

    @TempDir
    static Path workDir;

    private ExternalHost ifconfigCo;
    private MeshpilotUnderTest meshpilot;
    private MeshClone clone;

    @BeforeAll
    void startMeshpilotWithIfconfigCoResolvedLocally() {
        ifconfigCo = ExternalHost.answering(EXTERNAL_ANSWER + "\n");
        meshpilot = MeshpilotUnderTest.start(workDir.resolve("data"),
                List.of("--meshpilot.resolve[0]=ifconfig.co:80=" + ifconfigCo.address()));
        clone = meshpilot.cloneInto(workDir.resolve("clone"));
    }

    @AfterAll
    void stopEverything() {
        try {
            if (clone != null) {
                clone.close();
            }
            if (meshpilot != null) {
                meshpilot.close();
            }
        } finally {
            if (ifconfigCo != null) {
                ifconfigCo.close();
            }
        }
    }

    /**
     * Pending a policy-engine fix: external-service.yaml's VirtualService {@code ifconfig-co} has only a {@code tls}
     * route (port 443), yet it hides the default HTTP route of ifconfig.co:80, so the call answers 404 "no route".
     * In Istio a VirtualService without {@code http} routes leaves HTTP traffic to the host's default route.
     */
    @Test
    void aPodReachesIfconfigCoThroughTheTutorialsServiceEntry() {
        push("Let pods reach ifconfig.co (tutorial 7.10)", true, false);

        GatewayClient gateway = meshpilot.gateway();
        Eventually.await(HOST + " shows what ifconfig.co answered", Duration.ofSeconds(20), () -> {
            HttpResponse<String> response = gateway.get(HOST, "/");
            String answer = response.statusCode() + " " + response.body().strip();
            return new Observation(answer.equals("200 my address is " + EXTERNAL_ANSWER), answer);
        });
        assertThat(ifconfigCo.lastHostHeader()).as("Host header ifconfig.co received").startsWith("ifconfig.co");
    }

    @Test
    void withoutAServiceEntryTheMeshDefaultAllowAnyPassesTheCallThrough() {
        push("Let pods call any host (Istio's default ALLOW_ANY)", false, false);

        GatewayClient gateway = meshpilot.gateway();
        Eventually.await(HOST + " shows what ifconfig.co answered", Duration.ofSeconds(20), () -> {
            HttpResponse<String> response = gateway.get(HOST, "/");
            String answer = response.statusCode() + " " + response.body().strip();
            return new Observation(answer.equals("200 my address is " + EXTERNAL_ANSWER), answer);
        });
        assertThat(ifconfigCo.lastHostHeader()).as("Host header ifconfig.co received").startsWith("ifconfig.co");
    }

    @Test
    void registryOnlyWithoutAServiceEntryRefusesTheCallWith502AndSaysWhy() {
        push("Only registry hosts may leave the mesh; no ServiceEntry", false, true);
        int callsBefore = ifconfigCo.requests();

        GatewayClient gateway = meshpilot.gateway();
        String[] body = {""};
        Eventually.await(HOST + " answers 502 because ifconfig.co is not in the registry", Duration.ofSeconds(20),
                () -> {
                    HttpResponse<String> response = gateway.get(HOST, "/");
                    body[0] = response.body();
                    return new Observation(response.statusCode() == 502, response.statusCode() + " " + body[0]);
                });
        assertThat(body[0]).as("what the user sees").startsWith("my address is: downstream http://ifconfig.co:80/")
                .contains("REGISTRY_ONLY").contains("ifconfig.co is not in the service registry");
        assertThat(ifconfigCo.requests()).as("requests that reached ifconfig.co").isEqualTo(callsBefore);
    }

    /** Pending the same policy-engine fix as {@link #aPodReachesIfconfigCoThroughTheTutorialsServiceEntry}. */
    @Test
    void registryOnlyStillLetsTheServiceEntryHostOut() {
        push("Only registry hosts may leave the mesh; ifconfig.co is one", true, true);

        GatewayClient gateway = meshpilot.gateway();
        Eventually.await(HOST + " shows what ifconfig.co answered", Duration.ofSeconds(20), () -> {
            HttpResponse<String> response = gateway.get(HOST, "/");
            String answer = response.statusCode() + " " + response.body().strip();
            return new Observation(answer.equals("200 my address is " + EXTERNAL_ANSWER), answer);
        });
    }

    /** Commits the whole desired state (the app, with or without the ServiceEntry and REGISTRY_ONLY). */
    private void push(String message, boolean serviceEntry, boolean registryOnly) {
        Map<String, String> files = new HashMap<>(Map.of(APP, TutorialFiles.userFile("egress/" + APP)));
        List<String> deleted = new ArrayList<>();
        if (serviceEntry) {
            files.put(SERVICE_ENTRY, TutorialFiles.read(SERVICE_ENTRY));
        } else if (clone.has(SERVICE_ENTRY)) {
            deleted.add(SERVICE_ENTRY);
        }
        if (registryOnly) {
            files.put(REGISTRY_ONLY, TutorialFiles.userFile("egress/" + REGISTRY_ONLY));
        } else if (clone.has(REGISTRY_ONLY)) {
            deleted.add(REGISTRY_ONLY);
        }
        String commit = clone.commitAndPush(message, files, deleted);
        SyncApi.of(meshpilot).awaitApplied(commit, Duration.ofSeconds(30));
    }
}
