package dev.meshpilot.policy.internal;

import java.math.BigDecimal;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Protobuf-style durations as Istio writes them: {@code 10s}, {@code 0.5s}, {@code 500ms}, {@code 1m}, {@code 1h}. */
public final class Durations {
    private Durations() {}

    public static @Nullable Duration parse(String text) {
        String t = text.trim();
        String[][] units = {{"ms", "1000000"}, {"us", "1000"}, {"ns", "1"}, {"s", "1000000000"},
            {"m", "60000000000"}, {"h", "3600000000000"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                String num = t.substring(0, t.length() - u[0].length());
                try {
                    BigDecimal nanos = new BigDecimal(num).multiply(new BigDecimal(u[1]));
                    return nanos.signum() < 0 ? null : Duration.ofNanos(nanos.longValueExact());
                } catch (ArithmeticException | NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** {@code 10s}, {@code 500ms}, {@code 1.5s}: the inverse of {@link #parse}. */
    public static String format(Duration d) {
        if (d.toNanos() % 1_000_000_000L == 0) {
            return d.toSeconds() + "s";
        }
        if (d.toNanos() % 1_000_000L == 0) {
            return d.toMillis() + "ms";
        }
        return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString() + "s";
    }
}
