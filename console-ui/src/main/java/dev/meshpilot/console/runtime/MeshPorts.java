package dev.meshpilot.console.runtime;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.fleet.EmbeddedFleet;
import java.net.URI;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * The ports this process actually listens on (useful when they were configured as 0): read it from the
 * application context, e.g. {@code context.getBean(MeshPorts.class).consolePort()}.
 */
public final class MeshPorts implements ApplicationListener<WebServerInitializedEvent> {

    private final EmbeddedFleet fleet;
    private volatile int consolePort = -1;

    public MeshPorts(EmbeddedFleet fleet) {
        this.fleet = requireNonNull(fleet, "fleet");
    }

    /** The port of the console, the REST API and Git over HTTP. */
    public int consolePort() {
        int port = consolePort;
        if (port < 0) {
            throw new IllegalStateException("consolePort: the web server has not started yet");
        }
        return port;
    }

    /** The port of the ingress gateway. */
    public int gatewayPort() {
        return fleet.gatewayPort();
    }

    /** The ingress gateway's HTTPS port, where the Gateway servers of port 443 are served. */
    public int gatewayHttpsPort() {
        return fleet.gatewayHttpsPort();
    }

    public URI consoleUri() {
        return URI.create("http://localhost:" + consolePort() + "/");
    }

    public URI gatewayUri() {
        return URI.create("http://localhost:" + gatewayPort() + "/");
    }

    public URI gatewayHttpsUri() {
        return URI.create("https://localhost:" + gatewayHttpsPort() + "/");
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() == null) {
            consolePort = event.getWebServer().getPort();
        }
    }
}
