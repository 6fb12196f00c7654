package dev.meshpilot.e2e.support;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every browser journey needs, per test: the {@link EmbeddedMeshpilot} and a headless Chromium. Register it
 * with {@code @RegisterExtension final Journey journey = new Journey();}.
 */
public final class Journey implements BeforeEachCallback, AfterEachCallback {

    private final EmbeddedMeshpilot mesh = new EmbeddedMeshpilot();
    private @Nullable Playwright playwright;
    private @Nullable Browser browser;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        mesh.beforeEach(context);
        playwright = Browsers.playwright();
        browser = Browsers.chromium(playwright);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            if (playwright != null) {
                playwright.close(); // closes the browser too
            }
        } finally {
            playwright = null;
            browser = null;
            mesh.afterEach(context);
        }
    }

    /** The embedded Meshpilot and the operator's clone of its mesh repository. */
    public EmbeddedMeshpilot mesh() {
        return mesh;
    }

    public MeshpilotUnderTest meshpilot() {
        return mesh.meshpilot();
    }

    public GatewayClient gateway() {
        return mesh.gateway();
    }

    /** A new page in a fresh browser context (no cookies) of the given viewport size. */
    public Page newPage(int width, int height) {
        if (browser == null) {
            throw new IllegalStateException("the browser runs only during a test (register with @RegisterExtension)");
        }
        return browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height)).newPage();
    }
}
