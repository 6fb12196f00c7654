package dev.meshpilot.console.views.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.data.provider.Query;
import dev.meshpilot.proxy.fleet.ProxyStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyGridTest {

    private static final String COMMIT = "5d19a4ad8b0c1e2f3a4b5c6d7e8f9a0b1c2d3e4f";

    private final List<ProxyStatus> fleet = new ArrayList<>(List.of(
            new ProxyStatus("world-abcde", "default", "world", COMMIT, true),
            new ProxyStatus("istio-ingressgateway", "istio-system", "istio-ingressgateway", COMMIT, true),
            new ProxyStatus("hello-fghij", "default", "hello", "", false)));

    @Test
    void listsEveryProxySortedByNamespaceDeploymentAndIdAndCountsTheSyncedOnes() {
        ProxyGrid proxies = new ProxyGrid(() -> List.copyOf(fleet));

        assertThat(rows(proxies)).extracting(ProxyStatus::proxyId)
                .containsExactly("hello-fghij", "world-abcde", "istio-ingressgateway");
        assertThat(summary(proxies)).isEqualTo("2 of 3 proxies synced");
    }

    @Test
    void showsTheFleetAsItIsOnEveryRefresh() {
        ProxyGrid proxies = new ProxyGrid(() -> List.copyOf(fleet));

        fleet.set(2, new ProxyStatus("hello-fghij", "default", "hello", COMMIT, true));
        fleet.add(new ProxyStatus("hello-klmno", "default", "hello", COMMIT, true));
        proxies.refresh();

        assertThat(rows(proxies)).hasSize(4).allMatch(ProxyStatus::synced);
        assertThat(summary(proxies)).isEqualTo("4 of 4 proxies synced");
    }

    @Test
    void saysSoWhenThereIsNoProxyYet() {
        assertThat(summary(new ProxyGrid(List::of))).isEqualTo("No proxies yet");
    }

    @SuppressWarnings("unchecked")
    private static List<ProxyStatus> rows(ProxyGrid proxies) {
        Grid<ProxyStatus> grid = (Grid<ProxyStatus>) proxies.getChildren().filter(Grid.class::isInstance)
                .findFirst().orElseThrow();
        return grid.getDataProvider().fetch(new Query<>()).toList();
    }

    private static String summary(ProxyGrid proxies) {
        return proxies.getChildren().filter(Span.class::isInstance).map(Span.class::cast)
                .findFirst().orElseThrow().getText();
    }
}
