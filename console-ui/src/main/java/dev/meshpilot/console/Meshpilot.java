package dev.meshpilot.console;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.console.cli.UpOptions;
import dev.meshpilot.console.cli.Usage;
import dev.meshpilot.console.logs.LogsCommand;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The {@code meshpilot} command: {@code up} starts the whole embedded mesh in this process (see
 * {@link MeshpilotApplication}); the policy tools are delegated to the policy-engine's CLI.
 */
public final class Meshpilot {

    private static final Set<String> POLICY_COMMANDS = Set.of("analyze", "convert", "simulate", "diff");

    private Meshpilot() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("up")) {
            if (Arrays.asList(args).contains("--help")) {
                System.out.print(Usage.TEXT);
                return;
            }
            try {
                up(Arrays.copyOfRange(args, 1, args.length));
            } catch (IllegalArgumentException e) {
                System.err.println("meshpilot up: " + e.getMessage());
                System.exit(2);
            }
            return; // the web server's threads keep the process alive; Ctrl-C closes the context
        }
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Starts the console, the gateway, the repository and the sync loop, like {@code meshpilot up ARGS}.
     *
     * @param upArgs {@code [--port N] [--gateway-port N] [--gateway-https-port N] [--data DIR]
     *               [--resolve HOST:PORT=ADDRESS:PORT]... [--kubernetes]}
     */
    public static ConfigurableApplicationContext up(String... upArgs) {
        UpOptions options = UpOptions.parse(List.of(upArgs));
        return SpringApplication.run(MeshpilotApplication.class, options.toSpringArguments());
    }

    /** Every command but {@code up}; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(), out, err);
    }

    /** {@link #run(String[], PrintStream, PrintStream)} with the environment given ({@code logs} reads it). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        requireNonNull(args, "args");
        requireNonNull(env, "env");
        if (args.length == 0 || Set.of("--help", "-h", "help").contains(args[0])) {
            out.print(Usage.TEXT);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        if (POLICY_COMMANDS.contains(command)) {
            return PolicyCommands.run(args, out, err);
        }
        if (command.equals("logs")) {
            return LogsCommand.run(List.of(args).subList(1, args.length), env, out, err);
        }
        err.println("meshpilot: unknown command: " + command);
        err.print(Usage.TEXT);
        return 2;
    }
}
