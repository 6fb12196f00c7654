package dev.meshpilot.e2e.support;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Path;

/** What every browser journey needs: the embedded Meshpilot, a headless Chromium and a gateway client. */
public final class Journey implements AutoCloseable {

    private final MeshpilotUnderTest meshpilot;
    private final Playwright playwright;
    private final Browser browser;

    private Journey(MeshpilotUnderTest meshpilot, Playwright playwright, Browser browser) {
        this.meshpilot = meshpilot;
        this.playwright = playwright;
        this.browser = browser;
    }

    public static Journey start(Path dataDir) {
        MeshpilotUnderTest meshpilot = MeshpilotUnderTest.start(dataDir);
        Playwright playwright = null;
        try {
            playwright = Browsers.playwright();
            return new Journey(meshpilot, playwright, Browsers.chromium(playwright));
        } catch (RuntimeException e) {
            if (playwright != null) {
                playwright.close();
            }
            meshpilot.close();
            throw e;
        }
    }

    public MeshpilotUnderTest meshpilot() {
        return meshpilot;
    }

    public GatewayClient gateway() {
        return new GatewayClient(meshpilot.gatewayPort());
    }

    /** A new page in a fresh browser context (no cookies) of the given viewport size. */
    public Page newPage(int width, int height) {
        return browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height)).newPage();
    }

    @Override
    public void close() {
        try {
            browser.close();
            playwright.close();
        } finally {
            meshpilot.close();
        }
    }
}
