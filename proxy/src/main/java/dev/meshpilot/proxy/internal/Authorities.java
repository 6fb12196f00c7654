package dev.meshpilot.proxy.internal;

/** The parts of an HTTP authority {@code host[:port]}; IPv6 literals keep their brackets ({@code [::1]:8080}). */
public final class Authorities {

    private Authorities() {}

    /** The host of {@code authority}, as written (callers lower-case it where hosts compare case-insensitively). */
    public static String hostOf(String authority) {
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end < 0 ? authority : authority.substring(0, end + 1);
        }
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }

    /** The port of {@code authority}, or {@code fallback} when it names none (or not a number). */
    public static int portOf(String authority, int fallback) {
        int colon = authority.lastIndexOf(':');
        if (colon < 0 || authority.endsWith("]")) {
            return fallback;
        }
        try {
            return Integer.parseInt(authority.substring(colon + 1));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
