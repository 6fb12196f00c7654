package dev.meshpilot.console.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeshpilotPropertiesTest {

    @Test
    void turnsTheResolveEntriesIntoTheFleetsHostOverrides() throws Exception {
        MeshpilotProperties properties = new MeshpilotProperties(0, 0, Path.of("data"), null, "main",
                List.of("ifconfig.co:80=127.0.0.1:18080"), null);

        assertThat(properties.hostOverrides().resolve("ifconfig.co", 80).getPort()).isEqualTo(18080);
    }

    @Test
    void failsAtStartupNamingThePropertyAndTheBadEntry() {
        assertThatThrownBy(() -> new MeshpilotProperties(0, 0, Path.of("data"), null, "main",
                List.of("ifconfig.co:80=127.0.0.1"), null))
                .hasMessageStartingWith("meshpilot.resolve: ifconfig.co:80=127.0.0.1 (expected: HOST:PORT=ADDRESS:PORT");
    }

    @Test
    void rejectsAGatewayHttpsPortOutOfRangeNamingTheProperty() {
        assertThatThrownBy(() -> new MeshpilotProperties(8081, 65536, Path.of("data"), null, "main", List.of(), null))
                .hasMessage("meshpilot.gateway-https-port: 65536 (expected: 0..65535)");
        assertThat(new MeshpilotProperties(8081, 0, Path.of("data"), null, "main", List.of(), null).gatewayHttpsPort())
                .isZero();
    }
}
