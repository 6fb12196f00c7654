package dev.meshpilot.console.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GatewayReadyLogTest {

    @Test
    void readyLineNamesTheHttpAndTheHttpsPortOfTheGateway() {
        assertThat(GatewayReadyLog.readyMessage(8081, 8443, "1a2b3c"))
                .isEqualTo("Gateway ready on http://localhost:8081 and https://localhost:8443 (commit 1a2b3c)");
    }
}
