package dev.meshpilot.console.canary;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps the weights of a route at 100 when one of them moves: the others share the rest in proportion to
 * what they had (equally when they had nothing), rounded so that the sum stays exactly 100. With two
 * destinations the other one simply gets {@code 100 - value}.
 */
public final class WeightBalancer {

    public static final int TOTAL = 100;

    private WeightBalancer() {}

    /**
     * @param weights the current weights, one per destination
     * @param index   the destination that moved
     * @param value   its new weight, 0..100
     * @return the new weights, summing to 100, with {@code value} at {@code index}
     */
    public static List<Integer> rebalance(List<Integer> weights, int index, int value) {
        requireNonNull(weights, "weights");
        if (weights.size() < 2) {
            throw new IllegalArgumentException("weights: " + weights.size() + " destinations (expected: 2 or more)");
        }
        if (index < 0 || index >= weights.size()) {
            throw new IllegalArgumentException("index: " + index + " (expected: 0.." + (weights.size() - 1) + ")");
        }
        if (value < 0 || value > TOTAL) {
            throw new IllegalArgumentException("weight: " + value + " (expected: 0..100)");
        }
        int rest = TOTAL - value;
        long othersTotal = 0;
        for (int i = 0; i < weights.size(); i++) {
            if (i != index) {
                othersTotal += Math.max(0, weights.get(i));
            }
        }
        int others = weights.size() - 1;
        int[] result = new int[weights.size()];
        double[] remainders = new double[weights.size()];
        int assigned = 0;
        for (int i = 0; i < weights.size(); i++) {
            if (i == index) {
                continue;
            }
            double exact = othersTotal == 0
                    ? (double) rest / others
                    : (double) rest * Math.max(0, weights.get(i)) / othersTotal;
            result[i] = (int) Math.floor(exact);
            remainders[i] = exact - result[i];
            assigned += result[i];
        }
        List<Integer> byRemainder = new ArrayList<>();
        for (int i = 0; i < weights.size(); i++) {
            if (i != index) {
                byRemainder.add(i);
            }
        }
        byRemainder.sort(Comparator.comparingDouble((Integer i) -> remainders[i]).reversed());
        for (int k = 0; assigned < rest; k = (k + 1) % byRemainder.size()) {
            result[byRemainder.get(k)]++;
            assigned++;
        }
        result[index] = value;
        List<Integer> out = new ArrayList<>(result.length);
        for (int weight : result) {
            out.add(weight);
        }
        return List.copyOf(out);
    }
}
