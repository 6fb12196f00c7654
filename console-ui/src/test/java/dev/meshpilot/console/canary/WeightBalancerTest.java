package dev.meshpilot.console.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightBalancerTest {

    @Test
    void withTwoDestinationsTheOtherGetsTheRest() {
        assertThat(WeightBalancer.rebalance(List.of(90, 10), 1, 100)).containsExactly(0, 100);
        assertThat(WeightBalancer.rebalance(List.of(90, 10), 0, 70)).containsExactly(70, 30);
    }

    @Test
    void othersShareTheRestInProportionToTheirWeights() {
        assertThat(WeightBalancer.rebalance(List.of(50, 30, 20), 0, 20)).containsExactly(20, 48, 32);
    }

    @Test
    void othersWithNothingShareTheRestEqually() {
        assertThat(WeightBalancer.rebalance(List.of(100, 0, 0), 0, 40)).containsExactly(40, 30, 30);
        assertThat(WeightBalancer.rebalance(List.of(100, 0, 0, 0), 0, 0)).containsExactly(0, 34, 33, 33);
    }

    @Test
    void roundingKeepsTheSumAtExactlyOneHundred() {
        Random random = new Random(42);
        for (int round = 0; round < 1_000; round++) {
            int size = 2 + random.nextInt(4);
            List<Integer> weights = WeightBalancer.rebalance(
                    random.ints(size, 0, 100).boxed().toList(), 0, random.nextInt(101));
            int index = random.nextInt(size);
            int value = random.nextInt(101);

            List<Integer> rebalanced = WeightBalancer.rebalance(weights, index, value);

            assertThat(rebalanced.stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
            assertThat(rebalanced.get(index)).isEqualTo(value);
            assertThat(rebalanced).allSatisfy(weight -> assertThat(weight).isBetween(0, 100));
        }
    }

    @Test
    void rejectsAWeightOutOfRange() {
        assertThatThrownBy(() -> WeightBalancer.rebalance(List.of(90, 10), 0, 110))
                .hasMessage("weight: 110 (expected: 0..100)");
    }
}
