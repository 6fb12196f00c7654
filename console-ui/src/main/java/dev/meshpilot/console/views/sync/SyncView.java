package dev.meshpilot.console.views.sync;

import static java.util.Objects.requireNonNull;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.meshpilot.console.runtime.SyncEvents;
import dev.meshpilot.console.security.OperatorToken;
import dev.meshpilot.console.views.MainLayout;
import dev.meshpilot.proxy.fleet.EmbeddedFleet;
import dev.meshpilot.sync.SyncLoop;
import dev.meshpilot.sync.SyncStatus;
import jakarta.annotation.security.PermitAll;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;

/**
 * The history of syncs, newest first: what was applied, and why a commit was rejected or failed; below it the
 * fleet's proxies and whether each serves the latest applied commit.
 */
@Route(value = "sync", layout = MainLayout.class)
@PageTitle("Sync · Meshpilot")
@PermitAll
public class SyncView extends VerticalLayout {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final SyncLoop syncLoop;
    private final SyncEvents syncEvents;
    private final Grid<SyncStatus> grid = new Grid<>();
    private final ProxyGrid proxies;
    private @Nullable Runnable unsubscribe;

    public SyncView(SyncLoop syncLoop, SyncEvents syncEvents, EmbeddedFleet fleet, OperatorToken operatorToken) {
        this.syncLoop = requireNonNull(syncLoop, "syncLoop");
        this.syncEvents = requireNonNull(syncEvents, "syncEvents");
        this.proxies = new ProxyGrid(requireNonNull(fleet, "fleet")::proxies);
        setSizeFull();
        configureGrid();
        add(new H2("Sync"), grid, new H3("Proxies"), proxies, operatorHint(operatorToken));
        setFlexGrow(1, grid);
        refresh();
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        UI ui = attach.getUI();
        unsubscribe = syncEvents.subscribe(status -> ui.access(this::refresh));
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        if (unsubscribe != null) {
            unsubscribe.run();
            unsubscribe = null;
        }
    }

    private void configureGrid() {
        grid.setId("sync-history");
        grid.addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT, GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(status -> SyncStatusText.shortId(status.commitId())).setHeader("Commit")
                .setAutoWidth(true).setFlexGrow(0);
        grid.addComponentColumn(SyncView::state).setHeader("State").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(SyncStatus::author).setHeader("Author").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(SyncStatus::message).setHeader("Message").setFlexGrow(1);
        grid.addComponentColumn(SyncView::reasons).setHeader("Findings").setFlexGrow(2);
        grid.addColumn(status -> TIME.format(status.at())).setHeader("At").setAutoWidth(true).setFlexGrow(0);
        grid.setWidthFull();
        grid.setMinHeight("240px");
    }

    private void refresh() {
        grid.setItems(syncLoop.history());
        proxies.refresh();
    }

    /** How an operator learns why a request was allowed or denied, with the mesh's token. */
    private static Div operatorHint(OperatorToken token) {
        Span value = new Span(token.value());
        value.setId("operator-token");
        value.getStyle().set("font-family", "var(--lumo-font-family-monospace, monospace)");
        Div hint = new Div(new Span("Why was a request allowed or denied? Send it with the header "
                + "x-meshpilot-debug: "), value, new Span(" and read x-meshpilot-authz in the answer."));
        hint.getStyle().set("font-size", "var(--lumo-font-size-s)");
        return hint;
    }

    private static Span state(SyncStatus status) {
        Span state = new Span(status.state().name());
        state.getElement().setAttribute("data-state", status.state().name());
        state.getElement().getThemeList().add(switch (status.state()) {
            case APPLIED -> "badge success";
            case REJECTED, FAILED -> "badge error";
        });
        return state;
    }

    private static Div reasons(SyncStatus status) {
        Div reasons = new Div();
        for (String reason : SyncStatusText.reasons(status)) {
            Div line = new Div(reason);
            line.getStyle().set("font-family", "var(--lumo-font-family-monospace, monospace)")
                    .set("font-size", "var(--lumo-font-size-s)");
            reasons.add(line);
        }
        return reasons;
    }
}
