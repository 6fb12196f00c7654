package dev.meshpilot.console.logs;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;

/** The parsed arguments of {@code meshpilot logs}. */
public record LogsOptions(String namespace, String deployment, int tail, String url, String user) {

    public static final String DEFAULT_URL = "http://localhost:8080";

    public LogsOptions {
        requireNonNull(namespace, "namespace");
        requireNonNull(deployment, "deployment");
        requireNonNull(url, "url");
        requireNonNull(user, "user");
    }

    /** Parses {@code NS/DEPLOYMENT [--tail N] [--url URL] [--user USER]}; throws on anything else. */
    public static LogsOptions parse(List<String> args) {
        String target = null;
        int tail = 100;
        String url = DEFAULT_URL;
        String user = "admin";
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--tail" -> tail = tail(value(args, ++i, arg));
                case "--url" -> url = url(value(args, ++i, arg));
                case "--user" -> user = value(args, ++i, arg);
                default -> {
                    if (arg.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option: " + arg);
                    }
                    if (target != null) {
                        throw new IllegalArgumentException("unexpected argument: " + arg
                                + " (expected: one NAMESPACE/DEPLOYMENT)");
                    }
                    target = arg;
                }
            }
        }
        if (target == null) {
            throw new IllegalArgumentException("missing NAMESPACE/DEPLOYMENT (for example default/hello)");
        }
        int slash = target.indexOf('/');
        if (slash <= 0 || slash == target.length() - 1 || target.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException(target + " (expected: NAMESPACE/DEPLOYMENT such as default/hello)");
        }
        return new LogsOptions(target.substring(0, slash), target.substring(slash + 1), tail, url, user);
    }

    private static String value(List<String> args, int index, String option) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(index);
    }

    private static int tail(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= 10_000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--tail: " + value + " (expected: 1..10000)");
    }

    private static String url(String value) {
        String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        try {
            URI uri = URI.create(trimmed);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return trimmed;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("--url: " + value + " (expected: http://HOST:PORT)");
    }
}
