package dev.meshpilot.e2e.support;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls an expectation until it holds or its deadline passes — never a fixed sleep. */
public final class Eventually {

    private Eventually() {}

    /**
     * Returns as soon as {@code condition} is true; fails with {@code description} and the last observation
     * when {@code timeout} passes first.
     */
    public static void await(String description, Duration timeout, Supplier<Observation> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Observation last = new Observation(false, "not observed yet");
        while (System.nanoTime() < deadline) {
            try {
                last = condition.get();
            } catch (RuntimeException e) {
                last = new Observation(false, e.toString());
            }
            if (last.holds()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + description, e);
            }
        }
        throw new AssertionError("Timed out after " + timeout + " waiting for: " + description
                + "\nlast observed: " + last.detail());
    }

    /** One look at the system: whether the expectation holds, and what was seen. */
    public record Observation(boolean holds, String detail) {}
}
