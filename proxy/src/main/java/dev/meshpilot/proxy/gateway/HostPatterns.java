package dev.meshpilot.proxy.gateway;

import java.util.Locale;
import dev.meshpilot.proxy.internal.Authorities;

/** Istio's host patterns of Gateway servers: an exact name, {@code *}, or a wildcard prefix {@code *.example.com}. */
final class HostPatterns {

    private HostPatterns() {}

    /** How specifically {@code pattern} matches {@code host}: higher is more specific; -1 when it does not match. */
    static int specificity(String pattern, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (pattern.equals(h)) {
            return 10_000 + pattern.length();
        }
        if (pattern.equals("*")) {
            return 0;
        }
        if (pattern.startsWith("*") && h.endsWith(pattern.substring(1)) && h.length() > pattern.length() - 1) {
            return pattern.length();
        }
        return -1;
    }

    /** The host of an authority {@code host[:port]} (IPv6 literals in brackets kept whole), lower case. */
    static String hostOf(String authority) {
        return Authorities.hostOf(authority).toLowerCase(Locale.ROOT);
    }
}
