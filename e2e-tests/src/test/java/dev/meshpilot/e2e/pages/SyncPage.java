package dev.meshpilot.e2e.pages;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.nio.file.Path;

/** The Sync view: every synced commit, newest first, with its state and reasons. */
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

    public void screenshot(Path file) {
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
    }
}
