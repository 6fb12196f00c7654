package dev.meshpilot.console.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.meshpilot.proxy.identity.BootstrapTokens;
import dev.meshpilot.proxy.identity.CaCerts;
import dev.meshpilot.proxy.identity.CaSettings;
import dev.meshpilot.proxy.identity.RootRotation;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the Security page and the CA API read and do through {@link CaAdministration}. */
class CaAdministrationTest {

    @TempDir
    Path tmp;

    @Test
    void aSelfSignedRootIsShownWithItsFingerprintWhereItIsKeptAndCanBeRotated() throws Exception {
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.openOrCreate(tmp.resolve("ca"),
                CaSettings.defaults());
        CaOverview overview = administration(ca, "/data/ca").overview();

        assertThat(overview.trustDomain()).isEqualTo("cluster.local");
        assertThat(overview.selfSigned()).isTrue();
        assertThat(overview.location()).isEqualTo("/data/ca");
        assertThat(overview.issuer()).isNull();
        assertThat(overview.workloadTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(overview.rotation()).isNull();
        assertThat(overview.rotateRefusal()).isNull();
        assertThat(overview.roots()).singleElement().satisfies(root -> {
            assertThat(root.subject()).isEqualTo(ca.rootCertificate().getSubjectX500Principal().getName());
            assertThat(root.serial()).isEqualTo(ca.rootCertificate().getSerialNumber().toString(16));
            assertThat(root.notAfter()).isEqualTo(ca.rootCertificate().getNotAfter().toInstant());
            assertThat(root.sha256Fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        });
    }

    @Test
    void aRotationShowsBothRootsNewestLastUntilThePreviousRootIsRetired() throws Exception {
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.openOrCreate(tmp.resolve("ca"),
                CaSettings.defaults());
        CaAdministration administration = administration(ca, "/data/ca");
        String before = administration.overview().roots().getFirst().sha256Fingerprint();
        ca.issue("default", "sleep"); // a certificate of the previous root keeps it trusted until it expires

        RootRotation rotation = administration.rotateRoot("admin");
        CaOverview rotating = administration.overview();

        assertThat(rotating.roots()).extracting(CertificateSummary::sha256Fingerprint)
                .hasSize(2).first().isEqualTo(before);
        assertThat(rotating.roots().get(1)).isEqualTo(CertificateSummary.of(rotation.newRoot()));
        assertThat(rotating.rotation()).isEqualTo(rotation);
        assertThat(rotation.previousRootRetiresAt()).isAfter(Instant.now().plus(Duration.ofHours(23)));
        assertThat(rotating.rotateRefusal()).contains("root rotation is in progress");
        assertThat(catchThrowable(() -> administration.rotateRoot("admin")))
                .isInstanceOf(IllegalStateException.class);

        assertThat(administration.retirePreviousRoot("admin")).contains(rotation);
        CaOverview retired = administration.overview();
        assertThat(retired.roots()).singleElement().isEqualTo(CertificateSummary.of(rotation.newRoot()));
        assertThat(retired.rotation()).isNull();
        assertThat(retired.rotateRefusal()).isNull();
        assertThat(administration.retirePreviousRoot("admin")).isEmpty();
    }

    @Test
    void aPluggedInCaShowsItsIssuerAndRefusesRotationWithTheReason() throws Exception {
        Path cacerts = UsersCa.write(tmp.resolve("cacerts"), UsersCa.create(tmp.resolve("users-ca")));
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.plugIn(CaCerts.read(cacerts),
                UsersCa.SETTINGS);
        CaAdministration administration = administration(ca, cacerts.toString());

        CaOverview overview = administration.overview();

        assertThat(overview.selfSigned()).isFalse();
        assertThat(overview.issuer()).isEqualTo(CertificateSummary.of(ca.issuingCertificate()));
        assertThat(overview.rotateRefusal()).isEqualTo("plugged-in CA " + cacerts + ": its root is the user's "
                + "(rotate it by replacing ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem and restarting)");
        assertThat(catchThrowable(() -> administration.rotateRoot("admin")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("plugged-in CA");
    }

    @Test
    void aBootstrapTokenIsIssuedOnceForItsIdentityAndOnlyItsHashIsStored() throws Exception {
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.openOrCreate(tmp.resolve("ca"),
                CaSettings.defaults());
        BootstrapTokens tokens = BootstrapTokens.open(tmp.resolve("tokens"));
        CaAdministration administration = new CaAdministration(ca, tokens, "/data/ca");

        BootstrapTokens.Issued issued = administration.issueToken("admin", "payments", "api", "2h");

        assertThat(issued.grant().namespace()).isEqualTo("payments");
        assertThat(issued.grant().expiresAt()).isBetween(Instant.now().plus(Duration.ofMinutes(119)),
                Instant.now().plus(Duration.ofMinutes(121)));
        assertThat(tokens.authenticate(issued.token())).contains(issued.grant());
        assertThat(java.nio.file.Files.readString(tmp.resolve("tokens"))).doesNotContain(issued.token());
        assertThat(administration.issueToken("admin", "payments", "api", " ").grant().expiresAt())
                .isAfter(Instant.now().plus(Duration.ofHours(23)));
        assertThat(catchThrowable(() -> administration.issueToken("admin", "payments", "", "1h")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("serviceAccount: missing (expected: a "
                        + "DNS-1123 name)");
        assertThat(catchThrowable(() -> administration.issueToken("admin", "payments", "api", "60d")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ttl:");
    }

    private CaAdministration administration(WorkloadCertificateAuthority ca, String location) {
        return new CaAdministration(ca, BootstrapTokens.open(tmp.resolve("tokens")), location);
    }
}
