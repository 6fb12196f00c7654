package dev.meshpilot.console.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class MeshpilotPropertiesTest {

    @Test
    void turnsTheResolveEntriesIntoTheFleetsHostOverrides() throws Exception {
        MeshpilotProperties properties = new MeshpilotProperties(0, 0, Path.of("data"), null, "main",
                List.of("ifconfig.co:80=127.0.0.1:18080"));

        assertThat(properties.hostOverrides().resolve("ifconfig.co", 80).getPort()).isEqualTo(18080);
    }

    @Test
    void failsAtStartupNamingThePropertyAndTheBadEntry() {
        assertThatThrownBy(() -> new MeshpilotProperties(0, 0, Path.of("data"), null, "main",
                List.of("ifconfig.co:80=127.0.0.1")))
                .hasMessageStartingWith("meshpilot.resolve: ifconfig.co:80=127.0.0.1 (expected: HOST:PORT=ADDRESS:PORT");
    }

    @Test
    void rejectsAGatewayHttpsPortOutOfRangeNamingTheProperty() {
        assertThatThrownBy(() -> new MeshpilotProperties(8081, 65536, Path.of("data"), null, "main", List.of()))
                .hasMessage("meshpilot.gateway-https-port: 65536 (expected: 0..65535)");
        assertThat(new MeshpilotProperties(8081, 0, Path.of("data"), null, "main", List.of()).gatewayHttpsPort())
                .isZero();
    }

    @Test
    void bindsClusterModeFromMeshpilotKubernetesOffByDefaultWithServerSideApply() {
        Binder on = new Binder(new MapConfigurationPropertySource(Map.of("meshpilot.data", "data",
                "meshpilot.kubernetes.enabled", "true", "meshpilot.kubernetes.apply", "create-or-replace")));
        Binder off = new Binder(new MapConfigurationPropertySource(Map.of("meshpilot.data", "data")));

        assertThat(on.bindOrCreate("meshpilot", MeshpilotProperties.class).kubernetes()).isEqualTo(
                new MeshpilotProperties.Kubernetes(true, MeshpilotProperties.ApplyMode.CREATE_OR_REPLACE));
        MeshpilotProperties defaults = off.bindOrCreate("meshpilot", MeshpilotProperties.class);
        assertThat(defaults.kubernetes()).isEqualTo(MeshpilotProperties.Kubernetes.disabled());
        assertThat(defaults.kubernetes().apply()).isEqualTo(MeshpilotProperties.ApplyMode.SERVER_SIDE);
        assertThat(defaults.gatewayPort()).isEqualTo(8081);
        assertThat(new MeshpilotProperties(0, 0, Path.of("data"), null, "main", List.of()).kubernetes().enabled())
                .isFalse();
    }
}
