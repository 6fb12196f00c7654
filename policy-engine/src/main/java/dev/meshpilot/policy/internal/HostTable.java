package dev.meshpilot.policy.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Host-keyed lookup with Istio's precedence: an exact host beats any wildcard, and a longer wildcard
 * suffix beats a shorter one ({@code *.example.com} before {@code *}). Immutable once built.
 */
public final class HostTable<T> {
    /** The values registered under the most specific matching host pattern. */
    public record Hit<T>(String pattern, List<T> values, int specificity) {}

    private final Map<String, Hit<T>> exact;
    private final List<Hit<T>> wildcards;

    private HostTable(Map<String, Hit<T>> exact, List<Hit<T>> wildcards) {
        this.exact = exact;
        this.wildcards = wildcards;
    }

    public @Nullable Hit<T> lookup(String host) {
        Hit<T> hit = exact.get(host);
        if (hit != null) {
            return hit;
        }
        for (Hit<T> w : wildcards) {
            if (Hosts.matches(w.pattern(), host)) {
                return w;
            }
        }
        return null;
    }

    public boolean isEmpty() {
        return exact.isEmpty() && wildcards.isEmpty();
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    public static final class Builder<T> {
        private final Map<String, List<T>> values = new LinkedHashMap<>();

        public Builder<T> add(String pattern, T value) {
            List<T> list = values.computeIfAbsent(pattern, k -> new ArrayList<>());
            if (!list.contains(value)) {
                list.add(value);
            }
            return this;
        }

        public HostTable<T> build() {
            Map<String, Hit<T>> exact = new HashMap<>();
            List<Hit<T>> wildcards = new ArrayList<>();
            values.forEach((pattern, list) -> {
                if (pattern.startsWith("*")) {
                    wildcards.add(new Hit<>(pattern, List.copyOf(list), pattern.length() - 1));
                } else {
                    exact.put(pattern, new Hit<>(pattern, List.copyOf(list), Integer.MAX_VALUE));
                }
            });
            wildcards.sort(Comparator.comparingInt((Hit<T> h) -> h.specificity()).reversed());
            return new HostTable<>(Map.copyOf(exact), List.copyOf(wildcards));
        }
    }
}
