package dev.meshpilot.console.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogsCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void parsesTargetTailUrlAndUser() {
        LogsOptions options = LogsOptions.parse(List.of("default/hello", "--tail", "5", "--url",
                "http://127.0.0.1:9000/", "--user", "ops"));

        assertThat(options).isEqualTo(new LogsOptions("default", "hello", 5, "http://127.0.0.1:9000", "ops"));
        assertThat(LogsOptions.parse(List.of("istio-system/x")))
                .isEqualTo(new LogsOptions("istio-system", "x", 100, "http://localhost:8080", "admin"));
    }

    @Test
    void rejectsMalformedArguments() {
        assertThatThrownBy(() -> LogsOptions.parse(List.of("hello"))).hasMessageContaining(
                "hello (expected: NAMESPACE/DEPLOYMENT such as default/hello)");
        assertThatThrownBy(() -> LogsOptions.parse(List.of("default/hello", "--tail", "0")))
                .hasMessage("--tail: 0 (expected: 1..10000)");
        assertThatThrownBy(() -> LogsOptions.parse(List.of("default/hello", "--url", "localhost:8080")))
                .hasMessage("--url: localhost:8080 (expected: http://HOST:PORT)");
        assertThatThrownBy(() -> LogsOptions.parse(List.of())).hasMessageContaining("missing NAMESPACE/DEPLOYMENT");
    }

    @Test
    void aUsageErrorExitsWith2() {
        int exit = LogsCommand.run(List.of("default/hello", "--bogus"), Map.of("MESHPILOT_ADMIN_PASSWORD", "x"),
                print(out), print(err));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("meshpilot logs: unknown option: --bogus")
                .contains("Usage: meshpilot logs");
    }

    @Test
    void aMissingPasswordIsAClearErrorWithExitCode2() {
        int exit = LogsCommand.run(List.of("default/hello"), Map.of(), print(out), print(err));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("MESHPILOT_ADMIN_PASSWORD is not set (expected: the password of user admin)");
    }

    @Test
    void nothingListeningIsAClearErrorWithExitCode1() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;

        int exit = LogsCommand.run(List.of("default/hello", "--url", url), Map.of("MESHPILOT_ADMIN_PASSWORD", "x"),
                print(out), print(err));

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("nothing listens at " + url + " (is `meshpilot up` running?)");
    }

    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }
}
