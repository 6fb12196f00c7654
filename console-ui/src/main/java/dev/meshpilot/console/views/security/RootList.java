package dev.meshpilot.console.views.security;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import dev.meshpilot.console.ca.CaOverview;
import dev.meshpilot.console.ca.CertificateSummary;
import java.util.List;

/**
 * The roots of the trust bundle ({@code #ca-roots}), one {@code .ca-root} each with {@code data-fingerprint} and
 * {@code data-role} ({@code current}, or {@code previous} during a rotation); below them a plugged-in CA's issuing
 * intermediate ({@code #ca-issuer}).
 */
final class RootList extends Div {

    private final Div roots = new Div();
    private final Div issuer = new Div();

    RootList() {
        roots.setId("ca-roots");
        issuer.setId("ca-issuer");
        add(roots, issuer);
    }

    void show(CaOverview overview) {
        roots.removeAll();
        List<CertificateSummary> all = overview.roots();
        for (int i = 0; i < all.size(); i++) {
            String role = i == all.size() - 1 ? "current" : "previous";
            roots.add(card(all.get(i), role, "ca-root"));
        }
        issuer.removeAll();
        CertificateSummary intermediate = overview.issuer();
        issuer.setVisible(intermediate != null);
        if (intermediate != null) {
            issuer.add(new Div("Workload certificates are issued by this intermediate, chained to the root above:"),
                    card(intermediate, "issuer", "ca-intermediate"));
        }
    }

    private static Div card(CertificateSummary certificate, String role, String className) {
        Span fingerprint = new Span(certificate.sha256Fingerprint());
        fingerprint.addClassName("fingerprint");
        fingerprint.getStyle().set("font-family", "var(--lumo-font-family-monospace, monospace)")
                .set("word-break", "break-all");
        Div card = new Div(line("Role", role), line("Subject", certificate.subject()),
                line("Serial", certificate.serial()), line("Not after", CaText.time(certificate.notAfter())),
                new Div(new Span("SHA-256: "), fingerprint));
        card.addClassName(className);
        card.getElement().setAttribute("data-fingerprint", certificate.sha256Fingerprint());
        card.getElement().setAttribute("data-role", role);
        card.getStyle().set("border", "1px solid var(--lumo-contrast-20pct)")
                .set("border-radius", "var(--lumo-border-radius-m)").set("padding", "var(--lumo-space-s)")
                .set("margin-bottom", "var(--lumo-space-s)").set("font-size", "var(--lumo-font-size-s)");
        return card;
    }

    private static Div line(String label, String value) {
        return new Div(new Span(label + ": "), new Span(value));
    }
}
