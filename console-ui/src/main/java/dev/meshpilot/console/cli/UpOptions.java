package dev.meshpilot.console.cli;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.console.config.HostOverrides;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The options of {@code meshpilot up}, as typed; {@link #toSpringArguments()} turns them into the Spring
 * properties the application reads ({@code server.port}, {@code meshpilot.gateway-port},
 * {@code meshpilot.gateway-https-port}, {@code meshpilot.data}, {@code meshpilot.resolve}, {@code meshpilot.ca-certs},
 * {@code meshpilot.kubernetes.enabled}). An option that was not given is left to the application's defaults.
 *
 * @param gatewayHttpsPort the ingress gateway's HTTPS port ({@code --gateway-https-port}), where the Gateway servers
 *                         of port 443 are served
 * @param resolve          {@code HOST:PORT=ADDRESS:PORT} entries of the repeatable {@code --resolve}, validated
 * @param caCerts          a plugged-in CA: a directory with Istio's {@code ca-cert.pem}, {@code ca-key.pem},
 *                         {@code root-cert.pem} and {@code cert-chain.pem} ({@code --ca-certs})
 * @param kubernetes       cluster mode ({@code --kubernetes}, a flag without a value)
 */
public record UpOptions(@Nullable Integer port, @Nullable Integer gatewayPort, @Nullable Integer gatewayHttpsPort,
        @Nullable Path data, List<String> resolve, @Nullable Path caCerts, boolean kubernetes) {

    private static final Set<String> NAMES = Set.of("--port", "--gateway-port", "--gateway-https-port", "--data",
            "--resolve", "--ca-certs");
    private static final String KUBERNETES = "--kubernetes";

    public UpOptions {
        resolve = List.copyOf(resolve);
        HostOverrides.parse(resolve, "--resolve");
    }

    /** An {@code up} without {@code --ca-certs} and {@code --kubernetes}. */
    public UpOptions(@Nullable Integer port, @Nullable Integer gatewayPort, @Nullable Integer gatewayHttpsPort,
            @Nullable Path data, List<String> resolve) {
        this(port, gatewayPort, gatewayHttpsPort, data, resolve, null, false);
    }

    /** An {@code up} without {@code --gateway-https-port}. */
    public UpOptions(@Nullable Integer port, @Nullable Integer gatewayPort, @Nullable Path data, List<String> resolve) {
        this(port, gatewayPort, null, data, resolve);
    }

    /** An {@code up} without {@code --gateway-https-port} and {@code --resolve}. */
    public UpOptions(@Nullable Integer port, @Nullable Integer gatewayPort, @Nullable Path data) {
        this(port, gatewayPort, null, data, List.of());
    }

    /**
     * Parses {@code [--port N] [--gateway-port N] [--gateway-https-port N] [--data DIR]
     * [--resolve HOST:PORT=ADDRESS:PORT]... [--ca-certs DIR] [--kubernetes]}
     * (also {@code --port=N}).
     */
    public static UpOptions parse(List<String> args) {
        requireNonNull(args, "args");
        Integer port = null;
        Integer gatewayPort = null;
        Integer gatewayHttpsPort = null;
        Path data = null;
        Path caCerts = null;
        List<String> resolve = new ArrayList<>();
        boolean kubernetes = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals(KUBERNETES)) {
                kubernetes = true;
                continue;
            }
            if (arg.startsWith(KUBERNETES + "=")) {
                throw new IllegalArgumentException(arg + " (expected: --kubernetes without a value)");
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown option: " + arg
                        + " (expected: --port N, --gateway-port N, --gateway-https-port N, --data DIR, "
                        + "--resolve HOST:PORT=ADDRESS:PORT, --ca-certs DIR, --kubernetes)");
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(name + ": missing value");
                }
                value = args.get(++i);
            }
            switch (name) {
                case "--port" -> port = port(name, value);
                case "--gateway-port" -> gatewayPort = port(name, value);
                case "--gateway-https-port" -> gatewayHttpsPort = port(name, value);
                case "--resolve" -> resolve.add(value);
                case "--ca-certs" -> caCerts = Path.of(value);
                default -> data = Path.of(value);
            }
        }
        return new UpOptions(port, gatewayPort, gatewayHttpsPort, data, resolve, caCerts, kubernetes);
    }

    /** {@code --server.port=N} and friends, for {@code SpringApplication.run}. */
    public String[] toSpringArguments() {
        List<String> out = new ArrayList<>();
        if (port != null) {
            out.add("--server.port=" + port);
        }
        if (gatewayPort != null) {
            out.add("--meshpilot.gateway-port=" + gatewayPort);
        }
        if (gatewayHttpsPort != null) {
            out.add("--meshpilot.gateway-https-port=" + gatewayHttpsPort);
        }
        if (data != null) {
            out.add("--meshpilot.data=" + data.toAbsolutePath());
        }
        if (caCerts != null) {
            out.add("--meshpilot.ca-certs=" + caCerts.toAbsolutePath());
        }
        for (int i = 0; i < resolve.size(); i++) {
            out.add("--meshpilot.resolve[" + i + "]=" + resolve.get(i).strip());
        }
        if (kubernetes) {
            out.add("--meshpilot.kubernetes.enabled=true");
        }
        return out.toArray(String[]::new);
    }

    private static int port(String name, String value) {
        int port;
        try {
            port = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: a number 0..65535)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + ": " + port + " (expected: 0..65535)");
        }
        return port;
    }
}
