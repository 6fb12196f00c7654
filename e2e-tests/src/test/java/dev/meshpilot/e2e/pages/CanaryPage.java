package dev.meshpilot.e2e.pages;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.nio.file.Path;

/** The Canary view: one slider per subset of every weighted route, and a Commit button per route. */
public final class CanaryPage {

    private final Page page;

    CanaryPage(Page page) {
        this.page = page;
    }

    /** Moves the subset's slider all the way up (the others fall to 0). */
    public CanaryPage moveToFull(String host, String subset) {
        Locator range = page.locator("[id='weight-" + host + "-" + subset + "'] input[type=range]");
        range.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.ATTACHED));
        range.focus();
        for (int i = 0; i < 100 && !weightText(host, subset).startsWith("100"); i++) {
            range.press("ArrowRight");
        }
        return this;
    }

    public String weightText(String host, String subset) {
        return page.locator("[id='weight-" + host + "-" + subset + "-value']").innerText().strip();
    }

    public CanaryPage commit() {
        page.locator("#commit-canary").click();
        return this;
    }

    public Locator syncStatus() {
        return page.locator("#sync-status");
    }

    public void screenshot(Path file) {
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
    }
}
