package dev.meshpilot.proxy.authz;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Istio's default path normalization ({@code pathNormalization: BASE}, Envoy's {@code normalize_path}): percent-encoded
 * unreserved characters are decoded once ({@code %2e} → {@code .}, {@code %41} → {@code A}), other escapes stay
 * (upper-cased; {@code %2F} and {@code %5C} are NOT decoded: that is DECODE_AND_MERGE_SLASHES), a backslash becomes
 * {@code /}, dot segments are resolved per RFC 3986 (never above the root), repeated slashes stay (merged only under
 * MERGE_SLASHES), and {@code %00} is rejected. The result is what authorization matches and what the workload gets.
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

    /** The normalized form of a request target ({@code /a/../b?x=1}); null when Istio rejects it (400). */
    public static @Nullable Normalized normalize(String pathAndQuery) {
        requireNonNull(pathAndQuery, "pathAndQuery");
        int q = pathAndQuery.indexOf('?');
        String raw = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? null : pathAndQuery.substring(q + 1);
        int hash = raw.indexOf('#');
        if (hash >= 0) {
            raw = raw.substring(0, hash);
        }
        String decoded = decodeUnreserved(raw);
        if (decoded == null) {
            return null;
        }
        String slashes = decoded.replace('\\', '/');
        return new Normalized(removeDotSegments(slashes.startsWith("/") ? slashes : "/" + slashes), query);
    }

    /** Decodes escapes of unreserved characters, upper-cases the others; null for {@code %00}. */
    private static @Nullable String decodeUnreserved(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%' || i + 2 >= raw.length()) {
                out.append(c);
                continue;
            }
            int hi = Character.digit(raw.charAt(i + 1), 16);
            int lo = Character.digit(raw.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                out.append(c);
                continue;
            }
            char decoded = (char) (hi * 16 + lo);
            if (decoded == 0) {
                return null;
            }
            if (unreserved(decoded)) {
                out.append(decoded);
            } else {
                out.append('%').append(raw.substring(i + 1, i + 3).toUpperCase(Locale.ROOT));
            }
            i += 2;
        }
        return out.toString();
    }

    private static boolean unreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                || c == '_' || c == '~';
    }

    /** RFC 3986 section 5.2.4 on an absolute path, keeping empty segments ({@code //}) and a trailing slash. */
    static String removeDotSegments(String path) {
        String[] segments = path.substring(1).split("/", -1);
        Deque<String> out = new ArrayDeque<>();
        boolean trailingSlash = false;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals(".")) {
                trailingSlash = last;
            } else if (segment.equals("..")) {
                out.pollLast();
                trailingSlash = last;
            } else {
                out.addLast(segment);
                trailingSlash = false;
            }
        }
        StringBuilder result = new StringBuilder();
        for (String segment : out) {
            result.append('/').append(segment);
        }
        if (trailingSlash || result.isEmpty()) {
            result.append('/');
        }
        return result.toString();
    }
}
