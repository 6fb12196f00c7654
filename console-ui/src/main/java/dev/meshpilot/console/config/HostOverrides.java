package dev.meshpilot.console.config;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.egress.HostResolver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hosts outside the mesh mapped to local addresses, like curl's {@code --resolve}: the entry
 * {@code ifconfig.co:80=127.0.0.1:18080} sends the fleet's calls to {@code ifconfig.co:80} to
 * {@code 127.0.0.1:18080}. Every other host falls back to {@link HostResolver#SYSTEM}.
 */
public final class HostOverrides implements HostResolver {

    public static final String FORMAT = "HOST:PORT=ADDRESS:PORT, e.g. ifconfig.co:80=127.0.0.1:18080";

    private static final Pattern ENTRY = Pattern.compile(
            "([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):(\\d{1,5})=(\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9A-Fa-f:.]+\\]):(\\d{1,5})");

    private final Map<String, InetSocketAddress> targets;
    private final HostResolver fallback;

    private HostOverrides(Map<String, InetSocketAddress> targets, HostResolver fallback) {
        this.targets = Map.copyOf(targets);
        this.fallback = fallback;
    }

    /** No overrides: the system's DNS for every host. */
    public static HostOverrides none() {
        return new HostOverrides(Map.of(), HostResolver.SYSTEM);
    }

    /**
     * Parses {@code entries}; a bad entry fails with a message naming {@code source} (the flag or property
     * the entries came from) and the value.
     */
    public static HostOverrides parse(List<String> entries, String source) {
        requireNonNull(entries, "entries");
        requireNonNull(source, "source");
        Map<String, InetSocketAddress> targets = new LinkedHashMap<>();
        for (String entry : entries) {
            requireNonNull(entry, "entry");
            String trimmed = entry.strip();
            Matcher m = ENTRY.matcher(trimmed);
            if (!m.matches()) {
                throw new IllegalArgumentException(source + ": " + entry + " (expected: " + FORMAT + ")");
            }
            int port = port(source, entry, m.group(3));
            InetAddress address = address(source, entry, m.group(4));
            InetSocketAddress target = new InetSocketAddress(address, port(source, entry, m.group(6)));
            String key = key(m.group(1), port);
            InetSocketAddress previous = targets.putIfAbsent(key, target);
            if (previous != null && !previous.equals(target)) {
                throw new IllegalArgumentException(source + ": " + entry + " (expected: one address per HOST:PORT; "
                        + key + " is already mapped to " + previous.getAddress().getHostAddress() + ":"
                        + previous.getPort() + ")");
            }
        }
        return new HostOverrides(targets, HostResolver.SYSTEM);
    }

    @Override
    public InetSocketAddress resolve(String host, int port) throws UnknownHostException {
        requireNonNull(host, "host");
        InetSocketAddress target = targets.get(key(host, port));
        return target != null ? target : fallback.resolve(host, port);
    }

    /** The mapped {@code host:port} keys (host in lower case) and where they go, in the order given. */
    public Map<String, InetSocketAddress> targets() {
        return targets;
    }

    public boolean isEmpty() {
        return targets.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        targets.forEach((key, target) -> out.append(out.isEmpty() ? "" : ", ").append(key).append('=')
                .append(target.getAddress().getHostAddress()).append(':').append(target.getPort()));
        return out.toString();
    }

    private static String key(String host, int port) {
        return host.toLowerCase(Locale.ROOT) + ":" + port;
    }

    private static int port(String source, String entry, String digits) {
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(source + ": " + entry + " (expected: ports 1..65535, got " + port + ")");
        }
        return port;
    }

    /** An IP literal only (as curl's --resolve): parsing it never asks DNS. */
    private static InetAddress address(String source, String entry, String literal) {
        String bare = literal.startsWith("[") ? literal.substring(1, literal.length() - 1) : literal;
        if (!literal.startsWith("[")) {
            for (String part : bare.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new IllegalArgumentException(source + ": " + entry
                            + " (expected: an IP address after '=', got " + literal + ")");
                }
            }
        }
        try {
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(source + ": " + entry
                    + " (expected: an IP address after '=', got " + literal + ")", e);
        }
    }
}
