package dev.meshpilot.console.views.sync;

import static java.util.Objects.requireNonNull;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import dev.meshpilot.proxy.fleet.ProxyStatus;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The proxies of the embedded fleet (like {@code istioctl proxy-status}): each sidecar and the gateway, the commit
 * it serves, and SYNCED or STALE; above it a one-line summary such as {@code 13 of 13 proxies synced}.
 */
public final class ProxyGrid extends VerticalLayout {

    private static final Comparator<ProxyStatus> ORDER = Comparator.comparing(ProxyStatus::namespace)
            .thenComparing(ProxyStatus::deployment).thenComparing(ProxyStatus::proxyId);

    private final Supplier<List<ProxyStatus>> proxies;
    private final Span summary = new Span();
    private final Grid<ProxyStatus> grid = new Grid<>();

    /** @param proxies the fleet's {@code proxies()}, read on every {@link #refresh()} */
    public ProxyGrid(Supplier<List<ProxyStatus>> proxies) {
        this.proxies = requireNonNull(proxies, "proxies");
        setPadding(false);
        summary.setId("proxy-summary");
        configureGrid();
        add(summary, grid);
        refresh();
    }

    public void refresh() {
        List<ProxyStatus> current = proxies.get().stream().sorted(ORDER).toList();
        grid.setItems(current);
        summary.setText(summaryOf(current));
    }

    /** {@code "3 of 4 proxies synced"}, or that there is none yet. */
    static String summaryOf(List<ProxyStatus> proxies) {
        if (proxies.isEmpty()) {
            return "No proxies yet";
        }
        long synced = proxies.stream().filter(ProxyStatus::synced).count();
        return synced + " of " + proxies.size() + " proxies synced";
    }

    private void configureGrid() {
        grid.setId("proxy-status");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(ProxyStatus::proxyId).setHeader("Proxy").setAutoWidth(true);
        grid.addColumn(ProxyStatus::namespace).setHeader("Namespace").setAutoWidth(true);
        grid.addColumn(ProxyStatus::deployment).setHeader("Deployment").setAutoWidth(true);
        grid.addColumn(status -> status.version().isEmpty() ? "—" : SyncStatusText.shortId(status.version()))
                .setHeader("Commit").setAutoWidth(true).setFlexGrow(0);
        grid.addComponentColumn(ProxyGrid::state).setHeader("Status").setAutoWidth(true).setFlexGrow(0);
        grid.setAllRowsVisible(true);
    }

    private static Span state(ProxyStatus status) {
        String text = status.synced() ? "SYNCED" : "STALE";
        Span state = new Span(text);
        state.getElement().setAttribute("data-state", text);
        state.getElement().getThemeList().add(status.synced() ? "badge success" : "badge contrast");
        return state;
    }
}
