package dev.meshpilot.console;

import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The properties a test starts the whole application with: its own data directory, free gateway ports. */
public final class EmbeddedRuntimeProperties {

    private EmbeddedRuntimeProperties() {}

    /** A fresh runtime in {@code data} with {@code adminPassword}, both gateway ports picked freely. */
    public static void register(DynamicPropertyRegistry registry, Path data, String adminPassword) {
        registry.add("meshpilot.data", data::toString);
        registry.add("meshpilot.gateway-port", () -> "0");
        registry.add("meshpilot.gateway-https-port", () -> "0");
        registry.add("meshpilot.admin-password", () -> adminPassword);
    }
}
