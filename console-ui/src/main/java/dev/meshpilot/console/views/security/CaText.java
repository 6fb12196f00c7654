package dev.meshpilot.console.views.security;

import dev.meshpilot.console.ca.CaOverview;
import dev.meshpilot.proxy.identity.RootRotation;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How the Security page words the CA's state. */
final class CaText {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneId.of("UTC"));

    private CaText() {}

    static String time(Instant instant) {
        return TIME.format(instant);
    }

    /** Istio-style: {@code 24h}, {@code 90m}, {@code 45s}, {@code 7d} (days from two days on). */
    static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds >= 2 * 86_400 && seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds != 0 && seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 && seconds != 0 ? seconds / 60 + "m" : seconds + "s";
    }

    /** Self-signed or plugged-in, and where it is kept. */
    static String kind(CaOverview overview) {
        return overview.selfSigned()
                ? "Self-signed mesh root, kept in " + overview.location()
                : "Plugged-in CA (the user's intermediate) from " + overview.location();
    }

    /** {@code none}, or since when the root is rotating and when the previous root retires. */
    static String rotation(CaOverview overview) {
        RootRotation rotation = overview.rotation();
        if (rotation == null) {
            return "none";
        }
        return "rotating since " + time(rotation.startedAt()) + "; the previous root retires at "
                + time(rotation.previousRootRetiresAt()) + " (when its last workload certificate expires)";
    }
}
