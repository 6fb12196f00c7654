package dev.meshpilot.console.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpOptionsTest {

    @Test
    void mapsEveryOptionToItsSpringProperty() {
        UpOptions options = UpOptions.parse(List.of("--port", "9090", "--gateway-port=0", "--data", "/tmp/mesh"));

        assertThat(options.toSpringArguments()).containsExactly(
                "--server.port=9090", "--meshpilot.gateway-port=0", "--meshpilot.data=/tmp/mesh");
    }

    @Test
    void aPluggedInCaDirectoryBecomesAnAbsoluteCaCertsProperty() {
        UpOptions options = UpOptions.parse(List.of("--ca-certs", "etc/cacerts"));

        assertThat(options.caCerts()).isEqualTo(Path.of("etc/cacerts"));
        assertThat(options.toSpringArguments())
                .containsExactly("--meshpilot.ca-certs=" + Path.of("etc/cacerts").toAbsolutePath());
    }

    @Test
    void leavesOptionsThatWereNotGivenToTheDefaults() {
        assertThat(UpOptions.parse(List.of()).toSpringArguments()).isEmpty();
    }

    @Test
    void makesARelativeDataDirectoryAbsolute() {
        String[] arguments = UpOptions.parse(List.of("--data", "mesh-data")).toSpringArguments();

        assertThat(arguments).containsExactly("--meshpilot.data=" + Path.of("mesh-data").toAbsolutePath());
    }

    @Test
    void rejectsAPortOutOfRangeNamingTheValue() {
        assertThatThrownBy(() -> UpOptions.parse(List.of("--port", "70000")))
                .hasMessage("--port: 70000 (expected: 0..65535)");
        assertThatThrownBy(() -> UpOptions.parse(List.of("--gateway-port", "x")))
                .hasMessage("--gateway-port: x (expected: a number 0..65535)");
    }

    @Test
    void rejectsUnknownOptionsAndMissingValues() {
        assertThatThrownBy(() -> UpOptions.parse(List.of("--verbose")))
                .hasMessageStartingWith("unknown option: --verbose");
        assertThatThrownBy(() -> UpOptions.parse(List.of("--data")))
                .hasMessage("--data: missing value");
    }

    @Test
    void mapsEveryRepeatedResolveToAnIndexedSpringProperty() {
        UpOptions options = UpOptions.parse(List.of("--resolve", "ifconfig.co:80=127.0.0.1:18080",
                "--resolve=ifconfig.co:443=127.0.0.1:18443"));

        assertThat(options.toSpringArguments()).containsExactly(
                "--meshpilot.resolve[0]=ifconfig.co:80=127.0.0.1:18080",
                "--meshpilot.resolve[1]=ifconfig.co:443=127.0.0.1:18443");
    }

    @Test
    void rejectsAMalformedResolveNamingTheFlagAndTheValue() {
        assertThatThrownBy(() -> UpOptions.parse(List.of("--resolve", "ifconfig.co=127.0.0.1")))
                .hasMessageStartingWith("--resolve: ifconfig.co=127.0.0.1 (expected: HOST:PORT=ADDRESS:PORT");
    }

    @Test
    void mapsTheGatewayHttpsPortToItsSpringProperty() {
        UpOptions options = UpOptions.parse(List.of("--gateway-port", "8081", "--gateway-https-port", "9443"));

        assertThat(options.gatewayHttpsPort()).isEqualTo(9443);
        assertThat(options.toSpringArguments()).containsExactly(
                "--meshpilot.gateway-port=8081", "--meshpilot.gateway-https-port=9443");
        assertThat(UpOptions.parse(List.of("--gateway-https-port=0")).toSpringArguments())
                .containsExactly("--meshpilot.gateway-https-port=0");
    }

    @Test
    void rejectsAGatewayHttpsPortOutOfRangeNamingTheFlag() {
        assertThatThrownBy(() -> UpOptions.parse(List.of("--gateway-https-port", "65536")))
                .hasMessage("--gateway-https-port: 65536 (expected: 0..65535)");
        assertThatThrownBy(() -> UpOptions.parse(List.of("--gateway-https-port=-1")))
                .hasMessage("--gateway-https-port: -1 (expected: 0..65535)");
        assertThatThrownBy(() -> UpOptions.parse(List.of("--gateway-https-port", "https")))
                .hasMessage("--gateway-https-port: https (expected: a number 0..65535)");
        assertThatThrownBy(() -> UpOptions.parse(List.of("--gateway-https-port")))
                .hasMessage("--gateway-https-port: missing value");
    }

    @Test
    void theKubernetesFlagTurnsOnClusterModeAndTakesNoValue() {
        UpOptions options = UpOptions.parse(List.of("--kubernetes", "--port", "9090"));

        assertThat(options.kubernetes()).isTrue();
        assertThat(options.toSpringArguments()).containsExactly(
                "--server.port=9090", "--meshpilot.kubernetes.enabled=true");
        assertThat(UpOptions.parse(List.of("--port", "9090")).kubernetes()).isFalse();
        assertThatThrownBy(() -> UpOptions.parse(List.of("--kubernetes=false")))
                .hasMessage("--kubernetes=false (expected: --kubernetes without a value)");
    }
}
