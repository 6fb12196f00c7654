package dev.meshpilot.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions;
import dev.meshpilot.e2e.pages.LoginPage;
import dev.meshpilot.e2e.pages.SyncPage;
import dev.meshpilot.e2e.support.Eventually;
import dev.meshpilot.e2e.support.Eventually.Observation;
import dev.meshpilot.e2e.support.GatewayClient;
import dev.meshpilot.e2e.support.MeshClone;
import dev.meshpilot.e2e.support.Journey;
import dev.meshpilot.e2e.support.MeshpilotUnderTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A plain `git push` of a broken route: rejected with file, line and reason; the last good config keeps serving. */
class RejectedPushJourneyTest {

    private static final String HOST = "hello.example.com";
    private static final String V2 = "200 hello, this is v2 !!!";

    @RegisterExtension
    final Journey journey = new Journey();

    @Test
    void aPushedCommitWithAnUndefinedSubsetIsShownRejectedAndTrafficStaysOnTheLastGoodConfig() {
        GatewayClient gateway = journey.gateway();
        MeshpilotUnderTest meshpilot = journey.meshpilot();
        MeshClone clone = journey.mesh().clone();
        clone.commitAndPush("helloworld-v2-canary.yaml",
                yaml -> yaml.replace("weight: 90", "weight: 0").replace("weight: 10", "weight: 100"),
                "Send all of hello.example.com to v2");
        Eventually.await("all of " + HOST + " served by v2", Duration.ofSeconds(30), () -> {
            Map<String, Integer> answers = gateway.answers(HOST, "/", 30);
            return new Observation(answers.equals(Map.of(V2, 30)), answers.toString());
        });

        clone.commitAndPush("helloworld-v2-canary.yaml", yaml -> yaml.replace("subset: v2", "subset: v9"),
                "Route to a subset that does not exist");

        Page page = journey.newPage(1400, 900);
        new LoginPage(page).logIn(meshpilot.consoleUrl(), "admin", meshpilot.adminPassword());
        SyncPage sync = new SyncPage(page).open(meshpilot.consoleUrl());
        ContainsTextOptions patiently = new ContainsTextOptions().setTimeout(30_000);
        assertThat(sync.history()).containsText("Route to a subset that does not exist", patiently);
        assertThat(sync.history()).containsText("REJECTED", patiently);
        assertThat(sync.history()).containsText("helloworld-v2-canary.yaml:36", patiently);
        assertThat(sync.history()).containsText("subset \"v9\" is not defined", patiently);
        sync.screenshot(Path.of("target", "screenshots", "sync-rejected-push.png"));

        Map<String, Integer> after = gateway.answers(HOST, "/", 30);
        org.assertj.core.api.Assertions.assertThat(after).as("traffic after the rejected commit").isEqualTo(Map.of(V2, 30));
    }
}
