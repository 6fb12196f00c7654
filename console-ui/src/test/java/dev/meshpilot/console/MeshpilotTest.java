package dev.meshpilot.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MeshpilotTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void helpPrintsTheUsageOfEveryCommand() {
        int exit = run("--help");

        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("up [--port N] [--gateway-port N] [--gateway-https-port N] [--data DIR]")
                .contains("analyze, convert, simulate, diff");
    }

    @Test
    void anUnknownCommandFailsWithUsage() {
        int exit = run("frobnicate");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("meshpilot: unknown command: frobnicate");
    }

    @Test
    void analyzeIsDelegatedToThePolicyEngine() {
        int exit = run("analyze", "../deploy/mesh-repo");

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("0 errors").contains("in 4 files");
    }

    private int run(String... args) {
        return Meshpilot.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
