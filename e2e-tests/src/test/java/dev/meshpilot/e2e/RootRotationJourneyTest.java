package dev.meshpilot.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.meshpilot.e2e.pages.LoginPage;
import dev.meshpilot.e2e.pages.SecurityPage;
import dev.meshpilot.e2e.support.Eventually;
import dev.meshpilot.e2e.support.Eventually.Observation;
import dev.meshpilot.e2e.support.Journey;
import dev.meshpilot.e2e.support.MeshpilotUnderTest;
import dev.meshpilot.e2e.support.TutorialFiles;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5: with mutual TLS STRICT mesh-wide, an operator rotates the mesh root on the Security page while the mesh
 * keeps answering through the gateway, then retires the previous root; and issues a bootstrap token, shown once.
 */
@Tag("security")
class RootRotationJourneyTest {

    private static final Pattern FINGERPRINT = Pattern.compile("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    private static final LocatorAssertions.HasCountOptions WAIT_COUNT =
            new LocatorAssertions.HasCountOptions().setTimeout(20_000);

    @RegisterExtension
    final Journey journey = new Journey();

    @Test
    void anOperatorRotatesTheRootUnderStrictMtlsAndTrafficKeepsAnswering() {
        journey.mesh().pushAndAwaitApplied("mTLS STRICT mesh-wide",
                Map.of("mtls-strict.yaml", TutorialFiles.userFile("security/mtls-strict.yaml")), List.of());
        awaitHelloAnswers("with STRICT mTLS, before the rotation");
        MeshpilotUnderTest meshpilot = journey.meshpilot();
        Page page = journey.newPage(1400, 1400);
        new LoginPage(page).logIn(meshpilot.consoleUrl(), "admin", meshpilot.adminPassword());
        SecurityPage security = new SecurityPage(page).open(meshpilot.consoleUrl());

        assertThat(security.trustDomain()).hasText("cluster.local");
        assertThat(security.kind()).hasAttribute("data-kind", "self-signed");
        assertThat(security.roots()).hasCount(1, WAIT_COUNT);
        assertThat(security.rotation()).hasText("none");
        assertThat(security.retireButton()).isDisabled();
        String original = security.rootFingerprints().getFirst();
        assertThat(original).matches(FINGERPRINT);

        security.rotateRoot();

        assertThat(security.roots()).hasCount(2, WAIT_COUNT);
        assertThat(security.rotation()).hasAttribute("data-state", "rotating");
        assertThat(security.rotation()).containsText("the previous root retires at");
        assertThat(security.rotateButton()).isDisabled();
        List<String> bundle = security.rootFingerprints();
        assertThat(bundle.getFirst()).isEqualTo(original);
        assertThat(bundle.get(1)).matches(FINGERPRINT).isNotEqualTo(original);
        security.screenshot(Path.of("target", "screenshots", "security-root-rotating.png"));
        awaitHelloAnswers("after the rotation");

        security.retirePreviousRoot();

        assertThat(security.roots()).hasCount(1, WAIT_COUNT);
        assertThat(security.rootFingerprints()).containsExactly(bundle.get(1));
        assertThat(security.rotation()).hasText("none");
        assertThat(security.rotateButton()).isEnabled();
        awaitHelloAnswers("after the previous root retired");
    }

    @Test
    void aBootstrapTokenIsShownOnceWithItsExpiry() {
        MeshpilotUnderTest meshpilot = journey.meshpilot();
        Page page = journey.newPage(1400, 1200);
        new LoginPage(page).logIn(meshpilot.consoleUrl(), "admin", meshpilot.adminPassword());
        SecurityPage security = new SecurityPage(page).open(meshpilot.consoleUrl());

        security.issueToken("payments", "api", "2h");

        assertThat(security.issuedToken()).hasValue(Pattern.compile("[A-Za-z0-9_-]{43}"));
        assertThat(security.issuedTokenExpiry()).containsText("For payments/api, expires ");
        security.open(meshpilot.consoleUrl());
        assertThat(security.trustDomain()).hasText("cluster.local");
        assertThat(security.issuedToken()).isHidden();
    }

    private void awaitHelloAnswers(String when) {
        Eventually.await("hello.example.com answers 200 " + when, Duration.ofSeconds(20), () -> {
            HttpResponse<String> response = journey.gateway().get("hello.example.com", "/");
            return new Observation(response.statusCode() == 200,
                    response.statusCode() + " " + response.body().strip());
        });
    }
}
