package dev.meshpilot.console.canary;

import dev.meshpilot.policy.edit.CanaryRoute;
import dev.meshpilot.policy.route.WeightedDestination;
import java.util.ArrayList;
import java.util.List;

/** How a canary route and its destinations are named in the console and in commit messages. */
public final class CanaryLabels {

    private CanaryLabels() {}

    /** {@code hello.example.com via helloworld-gateway}. */
    public static String title(CanaryRoute route) {
        String hosts = String.join(", ", route.hosts());
        return route.gateways().isEmpty() ? hosts : hosts + " via " + String.join(", ", route.gateways());
    }

    /** The route's first host; names its elements ({@code weight-<host>-<subset>}). */
    public static String host(CanaryRoute route) {
        return route.hosts().isEmpty() ? route.virtualService() : route.hosts().get(0);
    }

    /** The subset name ({@code v2}), or the destination's short host name when it has no subset. */
    public static String destination(WeightedDestination destination) {
        if (destination.subset() != null) {
            return destination.subset();
        }
        String host = destination.host();
        int dot = host.indexOf('.');
        return dot > 0 ? host.substring(0, dot) : host;
    }

    /** {@code Canary hello.example.com: v1 90% → 0%, v2 10% → 100%}, naming only what changed. */
    public static String commitMessage(CanaryRoute route, List<Integer> newWeights) {
        List<String> changes = new ArrayList<>();
        for (int i = 0; i < route.destinations().size(); i++) {
            WeightedDestination destination = route.destinations().get(i);
            int before = destination.weight();
            int after = newWeights.get(i);
            if (before != after) {
                changes.add(destination(destination) + " " + before + "% → " + after + "%");
            }
        }
        return "Canary " + String.join(", ", route.hosts()) + ": " + String.join(", ", changes);
    }
}
