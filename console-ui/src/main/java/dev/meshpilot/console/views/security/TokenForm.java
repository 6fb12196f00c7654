package dev.meshpilot.console.views.security;

import static java.util.Objects.requireNonNull;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent.Alignment;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import dev.meshpilot.console.ca.CaAdministration;
import dev.meshpilot.proxy.identity.BootstrapTokens;
import java.util.function.Supplier;

/**
 * Issues a bootstrap token for a {@code namespace/serviceAccount}: the token is shown once ({@code #issued-token},
 * read-only, with a copy button) with its expiry ({@code #issued-token-expiry}); only its hash is stored. A refusal
 * names the field at fault in {@code #token-error}.
 */
final class TokenForm extends VerticalLayout {

    private final CaAdministration administration;
    private final Supplier<String> operator;
    private final TextField namespace = new TextField("Namespace");
    private final TextField serviceAccount = new TextField("Service account");
    private final TextField ttl = new TextField("Valid for");
    private final TextField token = new TextField("One-time token (shown once: copy it now)");
    private final Span expiry = new Span();
    private final Span error = new Span();
    private final Div issued;

    TokenForm(CaAdministration administration, Supplier<String> operator) {
        this.administration = requireNonNull(administration, "administration");
        this.operator = requireNonNull(operator, "operator");
        setPadding(false);
        namespace.setId("token-namespace");
        serviceAccount.setId("token-service-account");
        ttl.setId("token-ttl");
        ttl.setValue("24h");
        ttl.setHelperText("e.g. 1h, 24h, 7d (at most 30d)");
        Button issue = new Button("Issue bootstrap token", click -> issue());
        issue.setId("issue-token");
        HorizontalLayout inputs = new HorizontalLayout(namespace, serviceAccount, ttl, issue);
        inputs.setAlignItems(Alignment.BASELINE);
        error.setId("token-error");
        error.getStyle().set("color", "var(--lumo-error-text-color)");
        token.setId("issued-token");
        token.setReadOnly(true);
        token.setWidth("32em");
        Button copy = new Button("Copy", click -> token.getElement().executeJs(
                "navigator.clipboard && navigator.clipboard.writeText($0)", token.getValue()));
        copy.setId("copy-token");
        copy.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        expiry.setId("issued-token-expiry");
        HorizontalLayout copyRow = new HorizontalLayout(token, copy);
        copyRow.setAlignItems(Alignment.BASELINE);
        issued = new Div(copyRow, expiry);
        issued.setVisible(false);
        add(inputs, error, issued);
    }

    private void issue() {
        try {
            BootstrapTokens.Issued result = administration.issueToken(operator.get(), namespace.getValue(),
                    serviceAccount.getValue(), ttl.getValue());
            BootstrapTokens.Grant grant = result.grant();
            error.setText("");
            token.setValue(result.token());
            expiry.setText("For " + grant.namespace() + "/" + grant.serviceAccount() + ", expires "
                    + CaText.time(grant.expiresAt()));
            issued.setVisible(true);
        } catch (IllegalArgumentException e) {
            error.setText(String.valueOf(e.getMessage()));
            token.clear();
            issued.setVisible(false);
        }
    }
}
