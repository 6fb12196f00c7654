package dev.meshpilot.console.logs;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code meshpilot logs NS/DEPLOYMENT [--tail N] [--url URL] [--user USER]}: prints the sidecar access log of a
 * Deployment from a running {@code meshpilot up} ({@code GET /api/logs/...}), like
 * {@code kubectl logs <pod> -c istio-proxy}. The password is {@code MESHPILOT_ADMIN_PASSWORD}.
 * Exit codes: 0 printed, 1 not found / authentication / server or connection error, 2 usage.
 */
public final class LogsCommand {

    public static final String PASSWORD_ENV = "MESHPILOT_ADMIN_PASSWORD";
    public static final String USAGE = """
            Usage: meshpilot logs NAMESPACE/DEPLOYMENT [--tail N] [--url http://localhost:8080] [--user admin]
              Prints the sidecar access log (one JSON line per request) of a running `meshpilot up`.
              The password is read from MESHPILOT_ADMIN_PASSWORD.
            """;

    private LogsCommand() {}

    /**
     * Runs the command.
     *
     * @param args the arguments after {@code logs}
     * @param env  the environment ({@code System.getenv()}), for {@value #PASSWORD_ENV}
     */
    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        requireNonNull(args, "args");
        requireNonNull(env, "env");
        if (args.contains("--help") || args.contains("-h")) {
            out.print(USAGE);
            return 0;
        }
        LogsOptions options;
        try {
            options = LogsOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("meshpilot logs: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        String password = env.get(PASSWORD_ENV);
        if (password == null || password.isEmpty()) {
            err.println("meshpilot logs: " + PASSWORD_ENV + " is not set (expected: the password of user "
                    + options.user() + ")");
            return 2;
        }
        return fetch(options, password, out, err);
    }

    private static int fetch(LogsOptions options, String password, PrintStream out, PrintStream err) {
        URI uri = URI.create(options.url() + "/api/logs/" + encode(options.namespace()) + "/"
                + encode(options.deployment()) + "?tail=" + options.tail());
        String credentials = Base64.getEncoder()
                .encodeToString((options.user() + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + credentials).header("Accept", "text/plain").GET().build();
        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            err.println("meshpilot logs: nothing listens at " + options.url() + " (is `meshpilot up` running?)");
            return 1;
        } catch (IOException e) {
            err.println("meshpilot logs: " + options.url() + ": " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("meshpilot logs: interrupted");
            return 1;
        }
        return switch (response.statusCode()) {
            case 200 -> {
                out.print(response.body());
                yield 0;
            }
            case 401, 403 -> {
                err.println("meshpilot logs: " + options.url() + " refused user " + options.user() + " (HTTP "
                        + response.statusCode() + "; check " + PASSWORD_ENV + ")");
                yield 1;
            }
            default -> {
                err.println("meshpilot logs: HTTP " + response.statusCode() + ": " + response.body().strip());
                yield 1;
            }
        };
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
