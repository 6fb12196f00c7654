package dev.meshpilot.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions;
import dev.meshpilot.e2e.pages.LoginPage;
import dev.meshpilot.e2e.pages.SyncPage;
import dev.meshpilot.e2e.support.Journey;
import dev.meshpilot.e2e.support.MeshpilotUnderTest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An operator reads the mesh's operator token on the Sync page and learns from the answer why a request through the
 * gateway was allowed; a caller without the token learns nothing.
 */
class OperatorTokenJourneyTest {

    @RegisterExtension
    final Journey journey = new Journey();

    @Test
    void theTokenOnTheSyncPageMakesTheSidecarExplainItsDecision() {
        MeshpilotUnderTest meshpilot = journey.meshpilot();
        Page page = journey.newPage(1400, 1200);
        new LoginPage(page).logIn(meshpilot.consoleUrl(), "admin", meshpilot.adminPassword());
        SyncPage sync = new SyncPage(page).open(meshpilot.consoleUrl());
        assertThat(sync.operatorToken()).hasText(Pattern.compile("[0-9a-f]{64}"),
                new HasTextOptions().setTimeout(20_000));
        String token = sync.operatorToken().textContent().strip();

        HttpResponse<String> explained = journey.gateway().get("hello.example.com", "/",
                Map.of("x-meshpilot-debug", token));
        HttpResponse<String> plain = journey.gateway().get("hello.example.com", "/",
                Map.of("x-meshpilot-debug", "0".repeat(64)));

        assertThat(explained.statusCode()).isEqualTo(200);
        assertThat(explained.headers().firstValue("x-meshpilot-authz"))
                .hasValue("ALLOW policy=none rule=- reason=no authorization policy applies to the workload");
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("x-meshpilot-authz")).isEmpty();
    }
}
