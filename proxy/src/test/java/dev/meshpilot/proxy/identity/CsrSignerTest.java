package dev.meshpilot.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsrSignerTest {

    @TempDir
    Path dir;

    private WorkloadCertificateAuthority ca;
    private CsrSigner signer;

    @BeforeEach
    void setUp() {
        ca = WorkloadCertificateAuthority.openOrCreate(dir.resolve("ca"), CaSettings.defaults());
        signer = new CsrSigner(ca);
    }

    @Test
    void issuesTheTokensIdentityForTheRequestsKeyWithTheCasLifetime() throws Exception {
        KeyPair keys = Csrs.ecKeys();

        List<X509Certificate> chain = signer.sign(Csrs.pem(keys, "CN=reviews",
                "spiffe://cluster.local/ns/shop/sa/reviews"), "shop", "reviews");

        X509Certificate leaf = chain.get(0);
        assertThat(leaf.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(SpiffeId.fromCertificate(leaf)).contains(SpiffeId.of("shop", "reviews"));
        leaf.verify(ca.issuingCertificate().getPublicKey());
        Duration lifetime = Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
        assertThat(lifetime).isBetween(Duration.ofHours(24), Duration.ofHours(24).plusMinutes(2));
    }

    @Test
    void ignoresTheRequestedSubjectAndAddsOnlyTheAuthorizedIdentity() throws Exception {
        List<X509Certificate> chain = signer.sign(Csrs.pem(Csrs.ecKeys(), "CN=admin,O=root"), "shop", "reviews");

        X509Certificate leaf = chain.get(0);
        assertThat(leaf.getSubjectX500Principal().getName()).isEmpty();
        assertThat(leaf.getSubjectAlternativeNames()).singleElement()
                .isEqualTo(List.of(6, "spiffe://cluster.local/ns/shop/sa/reviews"));
    }

    @Test
    void refusesARequestForAnotherIdentity() {
        String csr = Csrs.pem(Csrs.ecKeys(), "CN=x", "spiffe://cluster.local/ns/istio-system/sa/istiod");

        assertThatThrownBy(() -> signer.sign(csr, "shop", "reviews"))
                .isInstanceOfSatisfying(CsrRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(CsrRejectedException.Reason.FORBIDDEN))
                .hasMessage("csr: requests URI SAN spiffe://cluster.local/ns/istio-system/sa/istiod (expected: "
                        + "spiffe://cluster.local/ns/shop/sa/reviews, the identity the caller authenticated as)");
    }

    @Test
    void refusesARequestNotSignedWithItsOwnKey() {
        KeyPair claimed = Csrs.ecKeys();
        String csr = Csrs.pem(claimed.getPublic(), Csrs.ecKeys().getPrivate(), "CN=x");

        assertThatThrownBy(() -> signer.sign(csr, "shop", "reviews"))
                .isInstanceOfSatisfying(CsrRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(CsrRejectedException.Reason.MALFORMED))
                .hasMessageContaining("signature does not verify with the request's public key");
    }

    @Test
    void refusesTextThatIsNotACsr() {
        assertThatThrownBy(() -> signer.sign("hello", "shop", "reviews"))
                .isInstanceOfSatisfying(CsrRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(CsrRejectedException.Reason.MALFORMED))
                .hasMessageContaining("expected: a PEM CERTIFICATE REQUEST");
        assertThatThrownBy(() -> signer.sign(ca.rootCertificatePem(), "shop", "reviews"))
                .hasMessageContaining("expected: a PEM CERTIFICATE REQUEST");
    }
}
