package dev.meshpilot.console.views;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent.Alignment;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.meshpilot.console.views.canary.CanaryView;
import dev.meshpilot.console.views.security.SecurityView;
import dev.meshpilot.console.views.sync.SyncView;
import jakarta.annotation.security.PermitAll;

/** The console's frame: title, navigation (Canary, Sync, Security) and the signed-in user with sign-out. */
@PermitAll
public class MainLayout extends AppLayout {

    public MainLayout(AuthenticationContext authentication) {
        addToNavbar(new DrawerToggle(), header(authentication));
        addToDrawer(navigation());
        setPrimarySection(Section.DRAWER);
    }

    private static HorizontalLayout header(AuthenticationContext authentication) {
        Span title = new Span("Meshpilot");
        title.getStyle().set("font-weight", "600").set("font-size", "var(--lumo-font-size-l)");
        Span user = new Span(authentication.getPrincipalName().orElse(""));
        user.setId("current-user");
        Button signOut = new Button("Sign out", click -> authentication.logout());
        signOut.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        signOut.setId("sign-out");
        HorizontalLayout header = new HorizontalLayout(title, user, signOut);
        header.setAlignItems(Alignment.CENTER);
        header.expand(title);
        header.setWidthFull();
        header.getStyle().set("padding-right", "var(--lumo-space-m)");
        return header;
    }

    private static SideNav navigation() {
        SideNav nav = new SideNav();
        nav.addItem(new SideNavItem("Canary", CanaryView.class));
        nav.addItem(new SideNavItem("Sync", SyncView.class));
        nav.addItem(new SideNavItem("Security", SecurityView.class));
        return nav;
    }
}
