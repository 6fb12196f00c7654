package dev.meshpilot.observability.trace;

import org.jspecify.annotations.Nullable;

/** Reads W3C Trace Context: {@code traceparent: 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}. */
final class W3cCodec {

    private static final int LENGTH_V00 = 55;

    private W3cCodec() {}

    static @Nullable TraceContext extract(@Nullable String traceparent, @Nullable String tracestate) {
        if (traceparent == null) {
            return null;
        }
        String value = traceparent.trim();
        if (value.length() < LENGTH_V00) {
            return null;
        }
        String version = value.substring(0, 2);
        if (!isHexByte(version) || version.equals("ff")) {
            return null;
        }
        if (version.equals("00") ? value.length() != LENGTH_V00
                : value.length() > LENGTH_V00 && value.charAt(LENGTH_V00) != '-') {
            return null;
        }
        if (value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
            return null;
        }
        String traceId = value.substring(3, 35);
        String spanId = value.substring(36, 52);
        String flags = value.substring(53, 55);
        if (!Ids.isId(traceId, 32, true) || !Ids.isId(spanId, 16, true) || !isHexByte(flags)) {
            return null;
        }
        boolean sampled = (Integer.parseInt(flags, 16) & 1) == 1;
        return new TraceContext(traceId, spanId, null, sampled, false, traceState(tracestate));
    }

    private static @Nullable String traceState(@Nullable String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }

    private static boolean isHexByte(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return value.length() == 2;
    }
}
