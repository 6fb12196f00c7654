package dev.meshpilot.e2e.support;

import dev.meshpilot.console.MeshpilotApplication;
import dev.meshpilot.console.runtime.MeshPorts;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole embedded system — console, mesh repository, sync loop, fleet and gateway — started in this JVM
 * as {@code ./meshpilot up} starts it, on free ports, with a fresh data directory seeded from the tutorial.
 */
public final class MeshpilotUnderTest implements AutoCloseable {

    private final ConfigurableApplicationContext app;
    private final String adminPassword;

    private MeshpilotUnderTest(ConfigurableApplicationContext app, String adminPassword) {
        this.app = app;
        this.adminPassword = adminPassword;
    }

    public static MeshpilotUnderTest start(Path dataDir) {
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        ConfigurableApplicationContext app = SpringApplication.run(MeshpilotApplication.class,
                "--server.port=0", "--meshpilot.gateway-port=0",
                "--meshpilot.data=" + dataDir, "--meshpilot.admin-password=" + password);
        return new MeshpilotUnderTest(app, password);
    }

    public String consoleUrl() {
        return "http://localhost:" + app.getBean(MeshPorts.class).consolePort();
    }

    public int gatewayPort() {
        return app.getBean(MeshPorts.class).gatewayPort();
    }

    public String adminPassword() {
        return adminPassword;
    }

    @Override
    public void close() {
        app.close();
    }
}
