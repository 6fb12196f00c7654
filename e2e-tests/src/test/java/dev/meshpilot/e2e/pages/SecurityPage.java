package dev.meshpilot.e2e.pages;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.nio.file.Path;
import java.util.List;

/**
 * The Security view: the mesh CA's trust domain, kind and rotation state, the roots of its trust bundle
 * ({@code .ca-root} with {@code data-fingerprint} and {@code data-role}), rotating and retiring the root, and
 * bootstrap tokens.
 */
public final class SecurityPage {

    private final Page page;

    public SecurityPage(Page page) {
        this.page = page;
    }

    public SecurityPage open(String consoleUrl) {
        page.navigate(consoleUrl + "/security");
        return this;
    }

    public Locator trustDomain() {
        return page.locator("#ca-trust-domain");
    }

    /** {@code Self-signed mesh root, kept in ...} or {@code Plugged-in CA ...}; {@code data-kind} says which. */
    public Locator kind() {
        return page.locator("#ca-kind");
    }

    /** {@code none} or {@code rotating since ...}; {@code data-state} is {@code none} or {@code rotating}. */
    public Locator rotation() {
        return page.locator("#ca-rotation");
    }

    /** One element per root of the trust bundle, the previous root first during a rotation. */
    public Locator roots() {
        return page.locator("#ca-roots .ca-root");
    }

    /** The roots' SHA-256 fingerprints, in the page's order. */
    public List<String> rootFingerprints() {
        return roots().all().stream().map(root -> root.getAttribute("data-fingerprint")).toList();
    }

    public Locator rotateButton() {
        return page.locator("#rotate-root");
    }

    /** Clicks "Rotate root" and confirms in the dialog. */
    public void rotateRoot() {
        rotateButton().click();
        page.locator("#confirm-rotate-root").click();
    }

    public Locator retireButton() {
        return page.locator("#retire-root");
    }

    public void retirePreviousRoot() {
        retireButton().click();
    }

    /** Fills the bootstrap token form and issues a token. */
    public void issueToken(String namespace, String serviceAccount, String ttl) {
        page.locator("#token-namespace input").fill(namespace);
        page.locator("#token-service-account input").fill(serviceAccount);
        page.locator("#token-ttl input").fill(ttl);
        page.locator("#issue-token").click();
    }

    /** The read-only field with the one-time token. */
    public Locator issuedToken() {
        return page.locator("#issued-token input");
    }

    public Locator issuedTokenExpiry() {
        return page.locator("#issued-token-expiry");
    }

    public void screenshot(Path file) {
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
    }
}
