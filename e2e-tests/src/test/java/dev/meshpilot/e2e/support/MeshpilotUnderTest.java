package dev.meshpilot.e2e.support;

import dev.meshpilot.console.MeshpilotApplication;
import dev.meshpilot.console.runtime.MeshPorts;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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
        return start(dataDir, List.of());
    }

    /**
     * Starts with extra Spring arguments, e.g. {@code --meshpilot.resolve[0]=ifconfig.co:80=127.0.0.1:18080}
     * ({@code ./meshpilot up --resolve ...}).
     */
    public static MeshpilotUnderTest start(Path dataDir, List<String> extraArguments) {
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--meshpilot.gateway-port=0", "--meshpilot.gateway-https-port=0",
                "--meshpilot.data=" + dataDir, "--meshpilot.admin-password=" + password));
        arguments.addAll(extraArguments);
        ConfigurableApplicationContext app = SpringApplication.run(MeshpilotApplication.class,
                arguments.toArray(String[]::new));
        return new MeshpilotUnderTest(app, password);
    }

    /** A client of the ingress gateway. */
    public GatewayClient gateway() {
        return new GatewayClient(gatewayPort());
    }

    /** A clone of the mesh repository in {@code dir}, as the admin. */
    public MeshClone cloneInto(Path dir) {
        return MeshClone.of(consoleUrl(), "admin", adminPassword, dir);
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
