package dev.meshpilot.proxy.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.proxy.jwt.JwtSettings;
import dev.meshpilot.proxy.sidecar.SidecarSecurity;
import dev.meshpilot.proxy.testing.InboundUnderTest;
import dev.meshpilot.proxy.testing.RawHttp;
import org.junit.jupiter.api.Test;

/** Only an operator (the mesh's token in x-meshpilot-debug) learns why; the workload never sees the debug header. */
class OperatorHeaderTest {

    private static final String TOKEN = "op-7f3a9c1e5b";

    private static InboundUnderTest shop(String token) {
        return new InboundUnderTest(PathNormalizationEnforcementTest.SHOP,
                PathNormalizationEnforcementTest.policy("ALLOW", "[\"/public/*\"]"),
                new SidecarSecurity(token, () -> null, JwtSettings.DEFAULTS));
    }

    @Test
    void operatorTokenGetsTheDecisionOnAnAllowedRequest() {
        try (InboundUnderTest shop = shop(TOKEN)) {
            RawHttp.Response response = shop.get("shop", "/public/a", "x-meshpilot-debug: " + TOKEN);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers().get("x-meshpilot-authz"))
                    .isEqualTo("ALLOW policy=default/paths rule=0 reason=allowed by ALLOW policy default/paths");
            assertThat(shop.workload().last().header("x-meshpilot-debug")).isNull();
        }
    }

    @Test
    void operatorTokenGetsTheDecisionOnADeniedRequest() {
        try (InboundUnderTest shop = shop(TOKEN)) {
            RawHttp.Response response = shop.get("shop", "/admin", "x-meshpilot-debug: " + TOKEN);
            assertThat(response.status()).isEqualTo(403);
            assertThat(response.headers().get("x-meshpilot-authz"))
                    .isEqualTo("DENY policy=default/paths rule=- reason=denied: no ALLOW policy matched the request");
        }
    }

    @Test
    void anyOtherValueIsIgnoredAndStripped() {
        try (InboundUnderTest shop = shop(TOKEN)) {
            RawHttp.Response response = shop.get("shop", "/public/a", "x-meshpilot-debug: " + TOKEN + "x");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers()).doesNotContainKey("x-meshpilot-authz");
            assertThat(shop.workload().last().header("x-meshpilot-debug")).isNull();
        }
    }

    @Test
    void withoutAConfiguredTokenTheFeatureIsOff() {
        try (InboundUnderTest shop = shop(null)) {
            RawHttp.Response response = shop.get("shop", "/admin", "x-meshpilot-debug: ");
            assertThat(response.status()).isEqualTo(403);
            assertThat(response.headers()).doesNotContainKey("x-meshpilot-authz");
        }
    }

    @Test
    void everyInboundLineCarriesTheAuthorizationFields() {
        try (InboundUnderTest shop = shop(null)) {
            shop.get("shop", "/public/a");
            assertThat(shop.lastLine()).contains("\"authz_policy\":\"default/paths\",\"authz_rule\":\"0\","
                    + "\"authz_reason\":\"allowed by ALLOW policy default/paths\"}");
            shop.get("shop", "/admin");
            assertThat(shop.lastLine()).contains("\"response_code\":403").contains("\"authz_policy\":\"default/paths\"")
                    .contains("\"authz_rule\":null")
                    .contains("\"authz_reason\":\"denied: no ALLOW policy matched the request\"");
        }
    }
}
