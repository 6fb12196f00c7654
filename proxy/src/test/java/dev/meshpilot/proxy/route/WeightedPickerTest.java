package dev.meshpilot.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpilot.policy.route.WeightedDestination;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeightedPickerTest {

    private static final WeightedDestination V1 = new WeightedDestination("hello.default.svc.cluster.local", "v1", 8080, 90);
    private static final WeightedDestination V2 = new WeightedDestination("hello.default.svc.cluster.local", "v2", 8080, 10);

    @Test
    void picksByCumulativeWeight() {
        assertThat(WeightedPicker.pick(List.of(V1, V2), bound -> 0)).isEqualTo(V1);
        assertThat(WeightedPicker.pick(List.of(V1, V2), bound -> 89)).isEqualTo(V1);
        assertThat(WeightedPicker.pick(List.of(V1, V2), bound -> 90)).isEqualTo(V2);
        assertThat(WeightedPicker.pick(List.of(V1, V2), bound -> 99)).isEqualTo(V2);
    }

    @Test
    void neverPicksAZeroWeightDestination() {
        WeightedDestination off = new WeightedDestination("hello.default.svc.cluster.local", "v2", 8080, 0);
        WeightedDestination on = new WeightedDestination("hello.default.svc.cluster.local", "v1", 8080, 100);
        for (int r = 0; r < 100; r++) {
            int point = r;
            assertThat(WeightedPicker.pick(List.of(off, on), bound -> point)).isEqualTo(on);
        }
    }

    @Test
    void rejectsAnEmptyRoute() {
        assertThatThrownBy(() -> WeightedPicker.pick(List.of(), bound -> 0))
                .hasMessage("destinations: [] (expected: at least one)");
    }
}
