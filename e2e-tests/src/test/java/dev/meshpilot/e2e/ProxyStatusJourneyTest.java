package dev.meshpilot.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions;
import com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions;
import dev.meshpilot.e2e.pages.LoginPage;
import dev.meshpilot.e2e.pages.SyncPage;
import dev.meshpilot.e2e.support.EmbeddedMeshpilot;
import dev.meshpilot.e2e.support.Journey;
import dev.meshpilot.e2e.support.MeshpilotUnderTest;
import dev.meshpilot.e2e.support.TutorialFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** After a push that adds Deployments, the Sync view lists their new sidecars, each SYNCED at the pushed commit. */
class ProxyStatusJourneyTest {

    @RegisterExtension
    final Journey journey = new Journey();

    @Test
    void theSyncViewShowsTheNewSidecarsSyncedAtThePushedCommit() {
        MeshpilotUnderTest meshpilot = journey.meshpilot();
        EmbeddedMeshpilot mesh = journey.mesh();
        String commit = mesh.pushAndAwaitApplied("Add hello v3 (tutorial 7.5)", Map.of(
                        "helloworld-v3.yaml", TutorialFiles.read("helloworld-v3.yaml"),
                        "helloworld-v2-canary.yaml", TutorialFiles.withoutDocument(
                                mesh.clone().read("helloworld-v2-canary.yaml"), "DestinationRule", "hello")),
                List.of());

        Page page = journey.newPage(1400, 1200);
        new LoginPage(page).logIn(meshpilot.consoleUrl(), "admin", meshpilot.adminPassword());
        SyncPage sync = new SyncPage(page).open(meshpilot.consoleUrl());

        // the seed's 4 Deployments × 3 replicas, hello-v3 × 2, hello-v3-latency × 1 and the gateway
        assertThat(sync.proxySummary()).hasText("16 of 16 proxies synced", new HasTextOptions().setTimeout(20_000));
        ContainsTextOptions patiently = new ContainsTextOptions().setTimeout(20_000);
        assertThat(sync.proxies()).containsText("hello-v3-latency", patiently);
        assertThat(sync.proxies()).containsText("istio-ingressgateway", patiently);
        assertThat(sync.proxies()).containsText(commit.substring(0, 7), patiently);
        assertThat(sync.proxies()).not().containsText("STALE");
        sync.screenshot(Path.of("target", "screenshots", "sync-proxies.png"));
    }
}
