package dev.meshpilot.console;

import dev.meshpilot.policy.cli.PolicyCli;
import java.io.PrintStream;

/** Delegates {@code analyze}, {@code convert}, {@code simulate} and {@code diff} to the policy-engine's CLI. */
final class PolicyCommands {

    private PolicyCommands() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        return PolicyCli.run(args, out, err);
    }
}
