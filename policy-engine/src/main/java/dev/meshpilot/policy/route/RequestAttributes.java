package dev.meshpilot.policy.route;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What a routing decision looks at in one HTTP request.
 *
 * @param authority the Host / :authority, possibly with a port ({@code hello.example.com}, {@code world:8080})
 * @param path      the path with its query string, as received
 * @param port      the port the request arrived on at the proxy (the gateway's server port or the
 *                  destination port the workload called)
 * @param headers   header names in lower case
 */
public record RequestAttributes(String method, String authority, String path, int port,
        Map<String, List<String>> headers) {

    public RequestAttributes {
        requireNonNull(method, "method");
        requireNonNull(authority, "authority");
        requireNonNull(path, "path");
        TreeMap<String, List<String>> lower = new TreeMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        headers = Map.copyOf(lower);
    }

    public @Nullable String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public static RequestAttributes of(String method, String authority, String path, int port) {
        return new RequestAttributes(method, authority, path, port, Map.of());
    }
}
