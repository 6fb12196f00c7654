package dev.meshpilot.observability.accesslog;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last N access-log lines (for {@code meshpilot logs}); lock-free appends, oldest lines are overwritten.
 *
 * <p>Every appended line gets a sequence number (0, 1, 2, ...); {@link #since(long)} lets a follower read only
 * what is new.
 */
public final class AccessLogBuffer {

    private record Slot(long sequence, String line) {}

    private final AtomicReferenceArray<Slot> slots;
    private final AtomicLong next = new AtomicLong();

    public AccessLogBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
        }
        this.slots = new AtomicReferenceArray<>(capacity);
    }

    /** Adds a line, evicting the oldest when full. */
    public void append(String line) {
        requireNonNull(line, "line");
        long sequence = next.getAndIncrement();
        slots.set((int) (sequence % slots.length()), new Slot(sequence, line));
    }

    /** Formats {@code entry} as JSON and adds it. */
    public void append(AccessLogEntry entry) {
        append(AccessLogFormat.json(entry));
    }

    public int capacity() {
        return slots.length();
    }

    /** The sequence number the next line will get (= the number of lines appended so far). */
    public long nextSequence() {
        return next.get();
    }

    /** Up to {@code limit} most recent lines, oldest first. */
    public List<String> last(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: >= 0)");
        }
        long end = next.get();
        return range(Math.max(0, end - limit), end);
    }

    /** The lines with sequence numbers {@code >= sequence} still held, oldest first. */
    public List<String> since(long sequence) {
        return range(Math.max(0, sequence), next.get());
    }

    private List<String> range(long from, long to) {
        long start = Math.max(from, to - slots.length());
        List<String> lines = new ArrayList<>((int) Math.max(0, to - start));
        for (long sequence = start; sequence < to; sequence++) {
            Slot slot = slots.get((int) (sequence % slots.length()));
            // A slot can still hold an older line (writer not done) or already a newer one (overwritten): skip it.
            if (slot != null && slot.sequence() == sequence) {
                lines.add(slot.line());
            }
        }
        return List.copyOf(lines);
    }
}
