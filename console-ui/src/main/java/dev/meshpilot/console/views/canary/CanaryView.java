package dev.meshpilot.console.views.canary;

import static java.util.Objects.requireNonNull;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteAlias;
import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.meshpilot.console.canary.CanaryCommit;
import dev.meshpilot.console.canary.CanaryLabels;
import dev.meshpilot.console.canary.CanaryService;
import dev.meshpilot.console.runtime.SyncEvents;
import dev.meshpilot.console.views.MainLayout;
import dev.meshpilot.console.views.sync.SyncStatusText;
import dev.meshpilot.policy.edit.CanaryRoute;
import dev.meshpilot.sync.SyncLoop;
import dev.meshpilot.sync.SyncStatus;
import jakarta.annotation.security.PermitAll;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Canary weights of every weighted route at the head of {@code main}: move the sliders, commit, and
 * watch the sync loop apply (or reject) the commit in {@code #sync-status}.
 */
@Route(value = "canary", layout = MainLayout.class)
@RouteAlias(value = "", layout = MainLayout.class)
@PageTitle("Canary · Meshpilot")
@PermitAll
public class CanaryView extends VerticalLayout {

    private final CanaryService canary;
    private final SyncLoop syncLoop;
    private final SyncEvents syncEvents;
    private final AuthenticationContext authentication;
    private final Div routes = new Div();
    private final Div syncStatus = new Div();
    private @Nullable String awaitedCommit;
    private @Nullable Runnable unsubscribe;

    public CanaryView(CanaryService canary, SyncLoop syncLoop, SyncEvents syncEvents,
            AuthenticationContext authentication) {
        this.canary = requireNonNull(canary, "canary");
        this.syncLoop = requireNonNull(syncLoop, "syncLoop");
        this.syncEvents = requireNonNull(syncEvents, "syncEvents");
        this.authentication = requireNonNull(authentication, "authentication");
        routes.setWidthFull();
        routes.getStyle().set("display", "flex").set("flex-direction", "column").set("gap", "var(--lumo-space-m)");
        syncStatus.setId("sync-status");
        add(new H2("Canary"), new Paragraph("Weights of every route with two or more destinations on main. "
                + "A commit is validated and applied by the sync loop."), routes, syncStatus);
        loadRoutes();
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        UI ui = attach.getUI();
        unsubscribe = syncEvents.subscribe(status -> ui.access(() -> onSynced(status)));
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        if (unsubscribe != null) {
            unsubscribe.run();
            unsubscribe = null;
        }
    }

    private void loadRoutes() {
        List<CanaryRoute> found;
        try {
            found = canary.routes();
        } catch (RuntimeException e) {
            routes.removeAll();
            routes.add(new Paragraph("Cannot read the routes of main: " + e.getMessage()));
            return;
        }
        showRoutes(found);
    }

    private void showRoutes(List<CanaryRoute> found) {
        routes.removeAll();
        if (found.isEmpty()) {
            routes.add(new Paragraph("No route of main has two or more weighted destinations."));
            return;
        }
        for (CanaryRoute route : found) {
            String buttonId = found.size() == 1 ? "commit-canary" : "commit-" + CanaryLabels.host(route);
            RouteCard card = new RouteCard(route, buttonId);
            card.addCommitListener(event -> commit(event.getSource(), event.weights()));
            routes.add(card);
        }
    }

    private void commit(RouteCard card, List<Integer> weights) {
        String user = authentication.getPrincipalName()
                .orElseThrow(() -> new IllegalStateException("no signed-in user"));
        CanaryCommit commit;
        try {
            commit = canary.commit(user, card.route(), weights);
        } catch (RuntimeException e) {
            Notification.show("Not committed: " + e.getMessage(), 8000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
            return;
        }
        card.markCommitted(weights);
        awaitedCommit = commit.commitId();
        setStatus(commit.shortId() + " COMMITTED, waiting for the sync loop", "COMMITTED", commit.commitId());
        Notification.show(commit.message(), 4000, Notification.Position.BOTTOM_START);
        syncLoop.statusOf(commit.commitId()).ifPresent(this::onSynced);
    }

    private void onSynced(SyncStatus status) {
        if (status.commitId().equals(awaitedCommit)) {
            setStatus(SyncStatusText.describe(status), status.state().name(), status.commitId());
        }
    }

    private void setStatus(String text, String state, String commitId) {
        syncStatus.setText(text);
        syncStatus.getElement().setAttribute("data-state", state);
        syncStatus.getElement().setAttribute("data-commit", commitId);
    }
}
