package dev.meshpilot.console.views.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.console.ca.CaOverview;
import dev.meshpilot.console.ca.CertificateSummary;
import dev.meshpilot.proxy.identity.CaSettings;
import dev.meshpilot.proxy.identity.RootRotation;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the Security page words durations, the kind of CA and the rotation state. */
class CaTextTest {

    @TempDir
    Path tmp;

    @Test
    void durationsReadLikeIstiosFlags() {
        assertThat(CaText.duration(Duration.ofHours(24))).isEqualTo("24h");
        assertThat(CaText.duration(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(CaText.duration(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(CaText.duration(Duration.ofSeconds(45))).isEqualTo("45s");
    }

    @Test
    void theKindSaysWhereASelfSignedRootIsKeptOrWhereThePluggedInCaComesFrom() {
        assertThat(CaText.kind(overview(true, null))).isEqualTo("Self-signed mesh root, kept in /data/ca");
        assertThat(CaText.kind(overview(false, null)))
                .isEqualTo("Plugged-in CA (the user's intermediate) from /data/ca");
    }

    @Test
    void theRotationStateSaysSinceWhenAndWhenThePreviousRootRetires() {
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.openOrCreate(tmp, CaSettings.defaults());
        RootRotation rotation = new RootRotation(ca.rootCertificate(), ca.rootCertificate(),
                Instant.parse("2026-11-24T23:00:00Z"), Instant.parse("2026-11-25T23:00:05Z"));

        assertThat(CaText.rotation(overview(true, null))).isEqualTo("none");
        assertThat(CaText.rotation(overview(true, rotation))).isEqualTo("rotating since 2026-11-24 23:00:00 UTC; "
                + "the previous root retires at 2026-11-25 23:00:05 UTC (when its last workload certificate expires)");
    }

    private static CaOverview overview(boolean selfSigned, @Nullable RootRotation rotation) {
        CertificateSummary root = new CertificateSummary("CN=root", "1", Instant.EPOCH, "AB");
        return new CaOverview("cluster.local", List.of(root), selfSigned, "/data/ca", null, Duration.ofHours(24),
                rotation, null);
    }
}
