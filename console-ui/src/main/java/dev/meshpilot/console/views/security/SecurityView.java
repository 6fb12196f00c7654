package dev.meshpilot.console.views.security;

import static java.util.Objects.requireNonNull;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent.Alignment;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.meshpilot.console.ca.CaAdministration;
import dev.meshpilot.console.ca.CaOverview;
import dev.meshpilot.console.views.MainLayout;
import jakarta.annotation.security.PermitAll;

/**
 * The mesh CA (issue 5): trust domain, the roots of the trust bundle with their fingerprints, self-signed (where it
 * is kept) or plugged-in (its intermediate), the workload certificate TTL and the root rotation; operators rotate the
 * root (after confirming; refused with the reason for a plugged-in CA), retire the previous root during a rotation,
 * and issue bootstrap tokens. Every console user is an operator (as on the Canary page and the API).
 */
@Route(value = "security", layout = MainLayout.class)
@PageTitle("Security · Meshpilot")
@PermitAll
public class SecurityView extends VerticalLayout {

    private final CaAdministration administration;
    private final AuthenticationContext authentication;
    private final Span trustDomain = value("ca-trust-domain");
    private final Span kind = value("ca-kind");
    private final Span workloadTtl = value("ca-workload-ttl");
    private final Span rotation = value("ca-rotation");
    private final Span rotateRefusal = new Span();
    private final Button rotate = new Button("Rotate root", click -> confirmRotation());
    private final Button retire = new Button("Retire previous root", click -> retire());
    private final RootList roots = new RootList();

    public SecurityView(CaAdministration administration, AuthenticationContext authentication) {
        this.administration = requireNonNull(administration, "administration");
        this.authentication = requireNonNull(authentication, "authentication");
        rotate.setId("rotate-root");
        rotate.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        retire.setId("retire-root");
        rotateRefusal.setId("rotate-root-reason");
        rotateRefusal.getStyle().set("font-size", "var(--lumo-font-size-s)")
                .set("color", "var(--lumo-secondary-text-color)");
        HorizontalLayout actions = new HorizontalLayout(rotate, retire, rotateRefusal);
        actions.setAlignItems(Alignment.CENTER);
        add(new H2("Security"), facts(), actions, new H3("Trust bundle"), roots, new H3("Bootstrap tokens"),
                new Span("For a sidecar outside the console: it presents the token with its CSR at "
                        + "POST /api/ca/csr and gets certificates for that identity only."),
                new TokenForm(administration, this::operator));
        refresh();
    }

    private Div facts() {
        return new Div(fact("Trust domain", trustDomain), fact("CA", kind),
                fact("Workload certificate TTL", workloadTtl), fact("Root rotation", rotation));
    }

    private void refresh() {
        CaOverview overview = administration.overview();
        trustDomain.setText(overview.trustDomain());
        kind.setText(CaText.kind(overview));
        kind.getElement().setAttribute("data-kind", overview.selfSigned() ? "self-signed" : "plugged-in");
        workloadTtl.setText(CaText.duration(overview.workloadTtl()));
        rotation.setText(CaText.rotation(overview));
        rotation.getElement().setAttribute("data-state", overview.rotation() == null ? "none" : "rotating");
        String refusal = overview.rotateRefusal();
        rotate.setEnabled(refusal == null);
        rotateRefusal.setText(refusal == null ? "" : refusal);
        retire.setEnabled(overview.rotation() != null);
        roots.show(overview);
    }

    private void confirmRotation() {
        ConfirmDialog dialog = new ConfirmDialog();
        dialog.setHeader("Rotate the mesh root?");
        dialog.setText("A new root is created and trusted beside the current one; every workload certificate is "
                + "issued again from the new root. The previous root stays trusted until its last certificate "
                + "expires or you retire it.");
        dialog.setCancelable(true);
        Button confirm = new Button("Rotate root", click -> {
            dialog.close();
            rotate();
        });
        confirm.setId("confirm-rotate-root");
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
        dialog.setConfirmButton(confirm);
        dialog.open();
    }

    private void rotate() {
        try {
            administration.rotateRoot(operator());
            notify("Root rotated: workloads now carry certificates of the new root", NotificationVariant.LUMO_SUCCESS);
        } catch (IllegalStateException e) {
            notify(String.valueOf(e.getMessage()), NotificationVariant.LUMO_ERROR);
        }
        refresh();
    }

    private void retire() {
        if (administration.retirePreviousRoot(operator()).isEmpty()) {
            notify("No root rotation in progress", NotificationVariant.LUMO_CONTRAST);
        } else {
            notify("The previous root left the trust bundle", NotificationVariant.LUMO_SUCCESS);
        }
        refresh();
    }

    private String operator() {
        return authentication.getPrincipalName().orElseThrow(() -> new IllegalStateException("no signed-in user"));
    }

    private static void notify(String message, NotificationVariant variant) {
        Notification.show(message, 5000, Notification.Position.BOTTOM_START).addThemeVariants(variant);
    }

    private static Span value(String id) {
        Span value = new Span();
        value.setId(id);
        value.getStyle().set("font-weight", "600");
        return value;
    }

    private static Div fact(String label, Span value) {
        return new Div(new Span(label + ": "), value);
    }
}
