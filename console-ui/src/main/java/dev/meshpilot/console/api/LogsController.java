package dev.meshpilot.console.api;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.fleet.EmbeddedFleet;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/logs/{namespace}/{deployment}?tail=N}: the sidecar access log of a Deployment, like
 * {@code kubectl logs <pod> -c istio-proxy} ({@code istio-system/istio-ingressgateway}: the gateway's log). One JSON
 * object per line, oldest first; {@code text/plain} unless
 * the client accepts {@code application/x-ndjson}. 404 when the Deployment has no running instance.
 */
@RestController
@RequestMapping("/api/logs")
public class LogsController {

    /** Default number of lines, as the CLI's {@code --tail}. */
    public static final int DEFAULT_TAIL = 100;
    /** The most lines one request returns (a sidecar keeps its last lines in memory anyway). */
    public static final int MAX_TAIL = 10_000;

    /** {@code istio-system/istio-ingressgateway} is the ingress gateway's own log. */
    static final String GATEWAY_NAMESPACE = "istio-system";
    static final String GATEWAY_DEPLOYMENT = "istio-ingressgateway";
    static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");
    private static final MediaType TEXT = MediaType.parseMediaType("text/plain;charset=UTF-8");

    private final EmbeddedFleet fleet;

    public LogsController(EmbeddedFleet fleet) {
        this.fleet = requireNonNull(fleet, "fleet");
    }

    @GetMapping("/{namespace}/{deployment}")
    public ResponseEntity<String> logs(@PathVariable("namespace") String namespace,
            @PathVariable("deployment") String deployment,
            @RequestParam(name = "tail", defaultValue = "" + DEFAULT_TAIL) String tail,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) @Nullable String accept) {
        int lines;
        try {
            lines = Integer.parseInt(tail);
        } catch (NumberFormatException e) {
            lines = -1;
        }
        if (lines < 1 || lines > MAX_TAIL) {
            return text(400, TEXT, "tail: " + tail + " (expected: 1.." + MAX_TAIL + ")\n");
        }
        boolean gateway = namespace.equals(GATEWAY_NAMESPACE) && deployment.equals(GATEWAY_DEPLOYMENT);
        if (!gateway && fleet.instanceNames(namespace, deployment).isEmpty()) {
            return text(404, TEXT, "deployment " + namespace + "/" + deployment
                    + " not found (no running instance)\n");
        }
        List<String> log = gateway ? fleet.gatewayLogs(lines) : fleet.logs(namespace, deployment, lines);
        StringBuilder body = new StringBuilder();
        log.forEach(line -> body.append(line).append('\n'));
        boolean ndjson = accept != null && accept.contains(NDJSON.toString());
        return text(200, ndjson ? NDJSON : TEXT, body.toString());
    }

    private static ResponseEntity<String> text(int status, MediaType type, String body) {
        return ResponseEntity.status(status).contentType(type).body(body);
    }
}
