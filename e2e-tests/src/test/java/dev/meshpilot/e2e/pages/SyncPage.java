package dev.meshpilot.e2e.pages;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.nio.file.Path;

/** The Sync view: every synced commit, newest first, with its state and reasons; the fleet's proxies below. */
public final class SyncPage {

    private final Page page;

    public SyncPage(Page page) {
        this.page = page;
    }

    public SyncPage open(String consoleUrl) {
        page.navigate(consoleUrl + "/sync");
        return this;
    }

    public Locator history() {
        return page.locator("#sync-history");
    }

    /** The fleet's proxies: proxy id, namespace, deployment, commit, SYNCED or STALE. */
    public Locator proxies() {
        return page.locator("#proxy-status");
    }

    /** One line above the proxies, e.g. {@code 16 of 16 proxies synced}. */
    public Locator proxySummary() {
        return page.locator("#proxy-summary");
    }

    /** The operator token shown under the proxies (for {@code x-meshpilot-debug}). */
    public Locator operatorToken() {
        return page.locator("#operator-token");
    }

    public void screenshot(Path file) {
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
    }
}
