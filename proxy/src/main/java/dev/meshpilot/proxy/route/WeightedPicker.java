package dev.meshpilot.proxy.route;

import dev.meshpilot.policy.route.WeightedDestination;
import java.util.List;
import java.util.function.IntUnaryOperator;

/** Picks one destination of a route in proportion to its weight. */
public final class WeightedPicker {

    private WeightedPicker() {}

    /**
     * @param random returns a number in {@code [0, bound)} for a bound
     * @throws IllegalArgumentException when {@code destinations} is empty
     */
    public static WeightedDestination pick(List<WeightedDestination> destinations, IntUnaryOperator random) {
        if (destinations.isEmpty()) {
            throw new IllegalArgumentException("destinations: [] (expected: at least one)");
        }
        if (destinations.size() == 1) {
            return destinations.get(0);
        }
        int total = destinations.stream().mapToInt(WeightedDestination::weight).sum();
        if (total <= 0) {
            return destinations.get(random.applyAsInt(destinations.size()));
        }
        int point = random.applyAsInt(total);
        for (WeightedDestination d : destinations) {
            point -= d.weight();
            if (point < 0) {
                return d;
            }
        }
        return destinations.get(destinations.size() - 1);
    }
}
