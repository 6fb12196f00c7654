package dev.meshpilot.proxy.authz;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.route.PathNormalization;
import org.jspecify.annotations.Nullable;

/**
 * Splits a request target into the path authorization matches and the query, after the mesh's path normalization
 * (mesh config {@code pathNormalization}; Istio's default {@link PathNormalization#BASE}: percent-encoded unreserved
 * characters decoded, other escapes upper-cased — {@code %2F} stays —, a backslash becomes {@code /}, dot segments
 * resolved, repeated slashes kept). {@code %00} is rejected in every mode. The normalization itself is the
 * policy-engine's, so the proxy enforces exactly what {@code simulate} shows.
 */
public final class PathNormalizer {

    private PathNormalizer() {}

    /**
     * A path ready to authorize and forward.
     *
     * @param path  the normalized path, starting with {@code /}
     * @param query the raw query without {@code ?}, null when there is none
     */
    public record Normalized(String path, @Nullable String query) {
        public Normalized {
            requireNonNull(path, "path");
        }

        /** The request target forwarded to the workload. */
        public String pathAndQuery() {
            return query == null ? path : path + "?" + query;
        }
    }

    /** The target ({@code /a/../b?x=1}) under Istio's default, BASE; null when Istio rejects it (400). */
    public static @Nullable Normalized normalize(String pathAndQuery) {
        return normalize(pathAndQuery, PathNormalization.BASE);
    }

    /** The target under {@code mode}; null when Istio rejects it (400). The fragment is dropped, the query kept. */
    public static @Nullable Normalized normalize(String pathAndQuery, PathNormalization mode) {
        requireNonNull(pathAndQuery, "pathAndQuery");
        requireNonNull(mode, "mode");
        int q = pathAndQuery.indexOf('?');
        String raw = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? null : pathAndQuery.substring(q + 1);
        int hash = raw.indexOf('#');
        if (hash >= 0) {
            raw = raw.substring(0, hash);
        }
        if (PathNormalization.rejects(raw)) {
            return null;
        }
        String absolute = raw.startsWith("/") || raw.startsWith("\\") ? raw : "/" + raw;
        return new Normalized(mode.normalize(absolute), query);
    }
}
