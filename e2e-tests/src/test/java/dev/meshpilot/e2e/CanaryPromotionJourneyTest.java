package dev.meshpilot.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions;
import dev.meshpilot.e2e.pages.CanaryPage;
import dev.meshpilot.e2e.pages.LoginPage;
import dev.meshpilot.e2e.support.Eventually;
import dev.meshpilot.e2e.support.Eventually.Observation;
import dev.meshpilot.e2e.support.GatewayClient;
import dev.meshpilot.e2e.support.Journey;
import dev.meshpilot.e2e.support.MeshpilotUnderTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tutorial's canary (7.4) promoted to v2 from the browser, observed through the gateway. */
class CanaryPromotionJourneyTest {

    private static final String HOST = "hello.example.com";
    private static final String V1 = "200 hello world !!!";
    private static final String V2 = "200 hello, this is v2 !!!";

    @RegisterExtension
    final Journey journey = new Journey();

    @Test
    void promotingTheCanaryToV2InTheConsoleSendsAllGatewayTrafficToV2() {
        GatewayClient gateway = journey.gateway();
        Eventually.await("the seeded canary serves v1 and v2 through the gateway", Duration.ofSeconds(30), () -> {
            Map<String, Integer> answers = gateway.answers(HOST, "/", 40);
            boolean onlyV1AndV2 = answers.keySet().stream().allMatch(a -> a.equals(V1) || a.equals(V2));
            return new Observation(answers.containsKey(V1) && onlyV1AndV2, answers.toString());
        });

        Page page = journey.newPage(1280, 900);
        MeshpilotUnderTest meshpilot = journey.meshpilot();
        CanaryPage canary = new LoginPage(page).logIn(meshpilot.consoleUrl(), "admin", meshpilot.adminPassword());

        assertThat(canary.weightText(HOST, "v1")).startsWith("90");
        assertThat(canary.weightText(HOST, "v2")).startsWith("10");
        canary.moveToFull(HOST, "v2");
        assertThat(canary.weightText(HOST, "v2")).startsWith("100");
        assertThat(canary.weightText(HOST, "v1")).startsWith("0");
        canary.commit();

        Locator status = canary.syncStatus();
        assertThat(status).containsText("APPLIED", new ContainsTextOptions().setTimeout(30_000));

        Eventually.await("every answer for " + HOST + " comes from v2", Duration.ofSeconds(30), () -> {
            Map<String, Integer> answers = gateway.answers(HOST, "/", 50);
            return new Observation(answers.equals(Map.of(V2, 50)), answers.toString());
        });
        canary.screenshot(Path.of("target", "screenshots", "canary-promoted-to-v2.png"));
    }
}
