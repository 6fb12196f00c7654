package dev.meshpilot.policy.route;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Istio's request path normalization (mesh config {@code pathNormalization.normalization}), applied before routing and
 * authorization; the normalized path is also what the workload receives. {@code DEFAULT} in the mesh config is
 * {@link #BASE}. The query is never changed.
 */
public enum PathNormalization {
    /** The path as received (vulnerable to CVE-2021-31920 where authorization matches paths). */
    NONE,
    /**
     * RFC 3986: percent-encoded unreserved characters decoded ({@code %41} → {@code A}, {@code %2e} → {@code .}), other
     * percent-encodings upper-cased, backslashes turned into slashes, dot segments removed ({@code /a/../b} → {@code /b}).
     */
    BASE,
    /** {@link #BASE}, then adjacent slashes merged ({@code /a//b} → {@code /a/b}). */
    MERGE_SLASHES,
    /** {@code %2F}/{@code %5C} decoded first ({@code /a%2fb} → {@code /a/b}), then {@link #MERGE_SLASHES}. */
    DECODE_AND_MERGE_SLASHES;

    /**
     * The mesh config value as Istio reads it: {@code DEFAULT} is {@link #BASE}; null for a value Istio does not know.
     */
    public static @Nullable PathNormalization fromMeshConfig(String value) {
        requireNonNull(value, "value");
        if (value.equals("DEFAULT")) {
            return BASE;
        }
        for (PathNormalization p : values()) {
            if (p.name().equals(value)) {
                return p;
            }
        }
        return null;
    }

    /** Whether a proxy answers 400 whatever the mode: the path holds an encoded NUL ({@code %00}). */
    public static boolean rejects(String pathAndQuery) {
        requireNonNull(pathAndQuery, "pathAndQuery");
        return pathOf(pathAndQuery).contains("%00");
    }

    /** The path (and the unchanged query) after this normalization. */
    public String normalize(String pathAndQuery) {
        requireNonNull(pathAndQuery, "pathAndQuery");
        if (this == NONE) {
            return pathAndQuery;
        }
        String path = pathOf(pathAndQuery);
        String query = pathAndQuery.substring(path.length());
        if (!path.startsWith("/") && !path.startsWith("\\")) {
            return pathAndQuery;
        }
        StringBuilder decoded = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            int value = c == '%' && i + 2 < path.length() ? hex(path.charAt(i + 1), path.charAt(i + 2)) : -1;
            if (value < 0) {
                decoded.append(c == '\\' ? '/' : c);
                continue;
            }
            boolean slash = value == '/' || value == '\\';
            if (unreserved(value) || (slash && this == DECODE_AND_MERGE_SLASHES)) {
                decoded.append(value == '\\' ? '/' : (char) value);
            } else {
                decoded.append('%').append(path.substring(i + 1, i + 3).toUpperCase(Locale.ROOT));
            }
            i += 2;
        }
        String normalized = removeDotSegments(decoded.toString());
        if (this != BASE) {
            normalized = normalized.replaceAll("/{2,}", "/");
        }
        return normalized + query;
    }

    private static String pathOf(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }

    private static int hex(char high, char low) {
        int h = Character.digit(high, 16);
        int l = Character.digit(low, 16);
        return h < 0 || l < 0 ? -1 : h * 16 + l;
    }

    private static boolean unreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                || c == '_' || c == '~';
    }

    /** RFC 3986 section 5.2.4 on an absolute path, segment by segment (empty segments kept). */
    private static String removeDotSegments(String path) {
        Deque<String> out = new ArrayDeque<>();
        String[] segments = path.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            boolean last = i == segments.length - 1;
            if (s.equals(".")) {
                if (last) {
                    out.addLast("");
                }
            } else if (s.equals("..")) {
                out.pollLast();
                if (last) {
                    out.addLast("");
                }
            } else {
                out.addLast(s);
            }
        }
        return "/" + String.join("/", out);
    }
}
