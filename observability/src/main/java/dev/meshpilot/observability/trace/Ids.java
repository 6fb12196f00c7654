package dev.meshpilot.observability.trace;

import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/** Lower-case hex ids: generation from {@link ThreadLocalRandom} and validation. */
final class Ids {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    static final String ZERO_64 = "0000000000000000";

    private Ids() {}

    /** A random 64-bit id as 16 hex chars, never all zero. */
    static String newSpanId() {
        return hex16(nonZeroLong());
    }

    /** A random 128-bit id as 32 hex chars, never all zero (the low half alone is never zero). */
    static String newTraceId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return hex16(random.nextLong()) + hex16(nonZeroLong());
    }

    private static long nonZeroLong() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long value;
        do {
            value = random.nextLong();
        } while (value == 0);
        return value;
    }

    static String hex16(long value) {
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
        return new String(out);
    }

    /** True when {@code value} is exactly {@code length} hex chars (lower case only if {@code strict}), not all '0'. */
    static boolean isId(@Nullable String value, int length, boolean strict) {
        if (value == null || value.length() != length) {
            return false;
        }
        boolean nonZero = false;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            boolean lower = c >= 'a' && c <= 'f';
            boolean upper = !strict && c >= 'A' && c <= 'F';
            if (!digit && !lower && !upper) {
                return false;
            }
            nonZero |= c != '0';
        }
        return nonZero;
    }

    /** A valid B3 trace id (16 or 32 hex) normalised to 32 lower-case chars, or null. */
    static @Nullable String b3TraceId(@Nullable String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        if (isId(trimmed, 32, false)) {
            return trimmed.toLowerCase(java.util.Locale.ROOT);
        }
        if (isId(trimmed, 16, false)) {
            return ZERO_64 + trimmed.toLowerCase(java.util.Locale.ROOT);
        }
        return null;
    }

    /** A valid B3 span id (16 hex) in lower case, or null. */
    static @Nullable String b3SpanId(@Nullable String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return isId(trimmed, 16, false) ? trimmed.toLowerCase(java.util.Locale.ROOT) : null;
    }
}
