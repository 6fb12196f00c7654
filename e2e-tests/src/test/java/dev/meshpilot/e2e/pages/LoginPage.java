package dev.meshpilot.e2e.pages;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.nio.file.Path;

/** The console's login page. */
public final class LoginPage {

    private final Page page;

    public LoginPage(Page page) {
        this.page = page;
    }

    public CanaryPage logIn(String consoleUrl, String user, String password) {
        page.navigate(consoleUrl + "/login");
        page.locator("input[name=username]").fill(user);
        page.locator("input[name=password]").fill(password);
        page.locator("input[name=password]").press("Enter");
        try {
            page.locator("#sync-status").waitFor(new Locator.WaitForOptions()
                    .setState(WaitForSelectorState.ATTACHED).setTimeout(30_000));
        } catch (PlaywrightException e) {
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "login-failed.png")));
            throw new AssertionError("the Canary view did not open after logging in; the page is at " + page.url(), e);
        }
        return new CanaryPage(page);
    }
}
