package dev.meshpilot.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpiffeIdTest {

    @Test
    void parsesKubernetesStyleIdentity() {
        SpiffeId id = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/hello");

        assertThat(id).isEqualTo(new SpiffeId("cluster.local", "default", "hello"));
        assertThat(id.toString()).isEqualTo("spiffe://cluster.local/ns/default/sa/hello");
        assertThat(id.toUri().getScheme()).isEqualTo("spiffe");
    }

    @Test
    void ofUsesTheDefaultTrustDomain() {
        assertThat(SpiffeId.of("shop", "cart").toString()).isEqualTo("spiffe://cluster.local/ns/shop/sa/cart");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://cluster.local/ns/default/sa/hello",
        "spiffe://cluster.local/ns/default",
        "spiffe:///ns/default/sa/hello",
        "spiffe://cluster.local/ns/default/sa/hello/extra",
        "spiffe://cluster.local/sa/hello/ns/default",
        "spiffe://Cluster.Local/ns/default/sa/hello",
        "spiffe://cluster.local:443/ns/default/sa/hello",
        "spiffe://user@cluster.local/ns/default/sa/hello",
        "spiffe://cluster.local/ns/default/sa/hello?x=1",
        "spiffe://cluster.local/ns//sa/hello",
        "spiffe://cluster.local/ns/a.b/sa/hello",
        "spiffe://cluster.local/ns/Default/sa/hello"})
    void rejectsMalformedIdentities(String value) {
        assertThatThrownBy(() -> SpiffeId.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(value)
                .hasMessageContaining("expected:");
    }

    @Test
    void validatesComponentsAtConstruction() {
        assertThatThrownBy(() -> new SpiffeId("cluster.local", "default", "Bad_Name"))
                .hasMessage("serviceAccount: 'Bad_Name' (expected: a DNS-1123 subdomain)");
    }
}
