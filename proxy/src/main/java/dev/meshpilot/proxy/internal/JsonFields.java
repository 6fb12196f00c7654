package dev.meshpilot.proxy.internal;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Adds string fields to a one-line JSON object (an access-log line), escaped per RFC 8259. */
public final class JsonFields {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonFields() {}

    /** {@code object} (ending in {@code }}) with {@code fields} appended in iteration order; null values as null. */
    public static String append(String object, Map<String, @Nullable String> fields) {
        requireNonNull(object, "object");
        requireNonNull(fields, "fields");
        String trimmed = object.stripTrailing();
        if (!trimmed.endsWith("}")) {
            throw new IllegalArgumentException("object: " + object + " (expected: a JSON object)");
        }
        if (fields.isEmpty()) {
            return trimmed;
        }
        StringBuilder out = new StringBuilder(trimmed.length() + 64 * fields.size());
        out.append(trimmed, 0, trimmed.length() - 1);
        boolean empty = trimmed.substring(0, trimmed.length() - 1).strip().equals("{");
        for (Map.Entry<String, @Nullable String> field : fields.entrySet()) {
            if (!empty) {
                out.append(',');
            }
            empty = false;
            string(out, field.getKey());
            out.append(':');
            string(out, field.getValue());
        }
        return out.append('}').toString();
    }

    /** Appends {@code "value"} with escapes, or {@code null}. */
    static void string(StringBuilder out, @Nullable String value) {
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < value.length()
                            && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.append(c).append(value.charAt(++i));
                    } else if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)) {
                        out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
