package dev.meshpilot.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapTokensTest {

    @TempDir
    Path dir;

    @Test
    void aTokenAuthenticatesAsTheIdentityItWasIssuedFor() {
        BootstrapTokens tokens = BootstrapTokens.open(dir.resolve("bootstrap-tokens"));
        BootstrapTokens.Issued issued = tokens.issue("shop", "reviews", Duration.ofHours(24));

        assertThat(tokens.authenticate(issued.token())).hasValueSatisfying(grant -> {
            assertThat(grant.namespace()).isEqualTo("shop");
            assertThat(grant.serviceAccount()).isEqualTo("reviews");
        });
        assertThat(BootstrapTokens.open(dir.resolve("bootstrap-tokens")).authenticate(issued.token()))
                .as("kept across restarts").isPresent();
        assertThat(tokens.authenticate(issued.token() + "x")).isEmpty();
        assertThat(tokens.authenticate("")).isEmpty();
    }

    @Test
    void onlyTheHashIsStoredOwnerOnly() throws Exception {
        Path file = dir.resolve("bootstrap-tokens");
        BootstrapTokens.Issued issued = BootstrapTokens.open(file).issue("shop", "reviews", Duration.ofHours(1));

        String stored = Files.readString(file);
        assertThat(issued.token()).hasSize(43);
        assertThat(stored).doesNotContain(issued.token()).contains(" shop reviews ");
        assertThat(issued.toString()).doesNotContain(issued.token());
        assertThat(PosixPermissions.of(file)).isEqualTo("rw-------");
    }

    @Test
    void anExpiredTokenNoLongerAuthenticates() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        BootstrapTokens tokens = BootstrapTokens.open(dir.resolve("bootstrap-tokens"), clock);
        BootstrapTokens.Issued issued = tokens.issue("shop", "reviews", Duration.ofMinutes(10));

        now.set(now.get().plus(Duration.ofMinutes(9)));
        assertThat(tokens.authenticate(issued.token())).isPresent();
        now.set(now.get().plus(Duration.ofMinutes(1)));
        assertThat(tokens.authenticate(issued.token())).isEmpty();
    }

    @Test
    void refusesBadIdentitiesAndLifetimes() {
        BootstrapTokens tokens = BootstrapTokens.open(dir.resolve("bootstrap-tokens"));

        assertThatThrownBy(() -> tokens.issue("shop ns", "reviews", Duration.ofHours(1)))
                .hasMessageContaining("namespace: 'shop ns' (expected: a DNS-1123 label)");
        assertThatThrownBy(() -> tokens.issue("shop", "reviews", Duration.ofDays(31)))
                .hasMessage("ttl: PT744H (expected: > 0 and <= PT720H)");
        assertThat(BootstrapTokens.parseTtl("24h")).isEqualTo(Duration.ofHours(24));
        assertThatThrownBy(() -> BootstrapTokens.parseTtl("soon"))
                .hasMessage("ttl: 'soon' (expected: a duration like 24h, 30m or 7d)");
    }
}
