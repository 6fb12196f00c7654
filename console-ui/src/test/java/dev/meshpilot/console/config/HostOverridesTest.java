package dev.meshpilot.console.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostOverridesTest {

    @Test
    void sendsAMappedHostAndPortToTheLocalAddress() throws Exception {
        HostOverrides overrides = HostOverrides.parse(List.of("ifconfig.co:80=127.0.0.1:18080"), "--resolve");

        InetSocketAddress target = overrides.resolve("ifconfig.co", 80);

        assertThat(target.isUnresolved()).isFalse();
        assertThat(target.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(target.getPort()).isEqualTo(18080);
    }

    @Test
    void matchesTheHostNameWhateverItsCase() throws Exception {
        HostOverrides overrides = HostOverrides.parse(List.of("IfConfig.CO:80=127.0.0.1:18080"), "--resolve");

        assertThat(overrides.resolve("ifconfig.co", 80).getPort()).isEqualTo(18080);
    }

    @Test
    void leavesOtherHostsAndOtherPortsToTheSystemsDns() throws Exception {
        HostOverrides overrides = HostOverrides.parse(List.of("ifconfig.co:80=127.0.0.1:18080"), "--resolve");

        InetSocketAddress otherPort = overrides.resolve("ifconfig.co", 443);
        InetSocketAddress otherHost = overrides.resolve("example.org", 80);

        assertThat(otherPort.isUnresolved()).isTrue();
        assertThat(otherPort.getHostString()).isEqualTo("ifconfig.co");
        assertThat(otherPort.getPort()).isEqualTo(443);
        assertThat(otherHost.isUnresolved()).isTrue();
        assertThat(otherHost.getHostString()).isEqualTo("example.org");
    }

    @Test
    void acceptsIpv6AddressesInBrackets() throws Exception {
        HostOverrides overrides = HostOverrides.parse(List.of("ifconfig.co:443=[::1]:18443"), "--resolve");

        assertThat(overrides.resolve("ifconfig.co", 443).getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void namesTheFlagAndTheValueOfAMalformedEntry() {
        assertThatThrownBy(() -> HostOverrides.parse(List.of("ifconfig.co=127.0.0.1:18080"), "--resolve"))
                .hasMessage("--resolve: ifconfig.co=127.0.0.1:18080 (expected: " + HostOverrides.FORMAT + ")");
        assertThatThrownBy(() -> HostOverrides.parse(List.of("ifconfig.co:80=localhost:18080"), "meshpilot.resolve"))
                .hasMessageStartingWith("meshpilot.resolve: ifconfig.co:80=localhost:18080 (expected: ");
    }

    @Test
    void rejectsPortsAndAddressesOutOfRange() {
        assertThatThrownBy(() -> HostOverrides.parse(List.of("ifconfig.co:0=127.0.0.1:18080"), "--resolve"))
                .hasMessage("--resolve: ifconfig.co:0=127.0.0.1:18080 (expected: ports 1..65535, got 0)");
        assertThatThrownBy(() -> HostOverrides.parse(List.of("ifconfig.co:80=127.0.0.1:70000"), "--resolve"))
                .hasMessage("--resolve: ifconfig.co:80=127.0.0.1:70000 (expected: ports 1..65535, got 70000)");
        assertThatThrownBy(() -> HostOverrides.parse(List.of("ifconfig.co:80=127.0.0.300:1"), "--resolve"))
                .hasMessage("--resolve: ifconfig.co:80=127.0.0.300:1 (expected: an IP address after '=', got 127.0.0.300)");
    }

    @Test
    void rejectsTwoDifferentAddressesForOneHostAndPort() {
        assertThatThrownBy(() -> HostOverrides.parse(
                List.of("ifconfig.co:80=127.0.0.1:1", "ifconfig.co:80=127.0.0.1:2"), "--resolve"))
                .hasMessage("--resolve: ifconfig.co:80=127.0.0.1:2 (expected: one address per HOST:PORT; "
                        + "ifconfig.co:80 is already mapped to 127.0.0.1:1)");
    }
}
