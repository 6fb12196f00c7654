package dev.meshpilot.console;

import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.theme.lumo.Lumo;
import dev.meshpilot.console.config.MeshpilotProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The Spring Boot application behind {@code meshpilot up}: the console (Vaadin views, REST API, Git over
 * HTTP) and the embedded runtime (mesh repository, fleet, sync loop). Start it with
 * {@code SpringApplication.run(MeshpilotApplication.class, "--server.port=0", "--meshpilot.gateway-port=0",
 * "--meshpilot.data=DIR")} and read the ports from the {@link dev.meshpilot.console.runtime.MeshPorts} bean.
 */
@SpringBootApplication
@EnableConfigurationProperties(MeshpilotProperties.class)
@Push
@StyleSheet(Lumo.STYLESHEET)
public class MeshpilotApplication implements AppShellConfigurator {

    public static void main(String[] args) {
        SpringApplication.run(MeshpilotApplication.class, args);
    }
}
