package dev.meshpilot.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Host name matching of TLS origination (RFC 6125, as Envoy's auto SAN validation). */
class OriginationTrustManagerTest {

    @Test
    void aWildcardMatchesExactlyOneLeftMostLabel() {
        assertThat(OriginationTrustManager.matchesHost("*.example.com", "api.example.com")).isTrue();
        assertThat(OriginationTrustManager.matchesHost("*.example.com", "a.b.example.com")).isFalse();
        assertThat(OriginationTrustManager.matchesHost("*.example.com", "example.com")).isFalse();
        assertThat(OriginationTrustManager.matchesHost("*.com", "example.com")).as("not a whole domain").isFalse();
    }

    @Test
    void namesCompareWithoutCaseAndTrailingDot() {
        assertThat(OriginationTrustManager.matchesHost("API.Example.com.", "api.example.com")).isTrue();
        assertThat(OriginationTrustManager.matchesHost("api.example.com", "api.example.org")).isFalse();
        assertThat(OriginationTrustManager.matchesHost("api*.example.com", "api1.example.com"))
                .as("a partial wildcard is not one").isFalse();
    }
}
