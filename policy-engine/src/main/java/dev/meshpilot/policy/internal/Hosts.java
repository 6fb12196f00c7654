package dev.meshpilot.policy.internal;

import java.util.Locale;

/** Host name rules: short names, FQDNs, wildcards and authorities. */
public final class Hosts {
    public static final String CLUSTER_SUFFIX = ".svc.cluster.local";

    private Hosts() {}

    /** Istio's rule for hosts in a resource: a name without dots resolves in the resource's namespace. */
    public static String fqdn(String host, String namespace) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.equals("*") || h.contains(".") || h.isEmpty()) {
            return h;
        }
        return h + "." + namespace + CLUSTER_SUFFIX;
    }

    /** Whether {@code pattern} ({@code *}, {@code *.example.com} or an exact host) covers {@code host}. */
    public static boolean matches(String pattern, String host) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.startsWith("*")) {
            return host.endsWith(pattern.substring(1)) && host.length() > pattern.length() - 1;
        }
        return pattern.equalsIgnoreCase(host);
    }

    /** Whether two host patterns can both match some host (for gateway/VS host intersection). */
    public static boolean overlap(String a, String b) {
        return matches(a, b.startsWith("*") ? b.substring(1).replaceFirst("^\\.", "x.") : b)
                || matches(b, a.startsWith("*") ? a.substring(1).replaceFirst("^\\.", "x.") : a)
                || a.equals(b);
    }

    /** The host part of an authority: no port, lower case. */
    public static String hostOf(String authority) {
        String a = authority.trim().toLowerCase(Locale.ROOT);
        if (a.startsWith("[")) {
            int end = a.indexOf(']');
            return end < 0 ? a : a.substring(0, end + 1);
        }
        int colon = a.lastIndexOf(':');
        return colon < 0 ? a : a.substring(0, colon);
    }

    /** The port of an authority, or {@code fallback} when it has none. */
    public static int portOf(String authority, int fallback) {
        String a = authority.trim();
        int colon = a.lastIndexOf(':');
        if (colon < 0 || a.lastIndexOf(']') > colon) {
            return fallback;
        }
        Integer p = Fields.parseInt(a.substring(colon + 1));
        return p == null ? fallback : p;
    }
}
