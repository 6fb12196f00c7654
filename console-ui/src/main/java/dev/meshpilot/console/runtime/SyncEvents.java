package dev.meshpilot.console.runtime;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.sync.SyncStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans the sync loop's reports out to subscribers that come and go (views of open browser tabs); the loop
 * itself only knows one listener, this one.
 */
public final class SyncEvents implements Consumer<SyncStatus> {

    private static final Logger log = LoggerFactory.getLogger(SyncEvents.class);

    private final List<Consumer<SyncStatus>> subscribers = new CopyOnWriteArrayList<>();

    /** Subscribes; run the returned action to unsubscribe. */
    public Runnable subscribe(Consumer<SyncStatus> subscriber) {
        requireNonNull(subscriber, "subscriber");
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    @Override
    public void accept(SyncStatus status) {
        for (Consumer<SyncStatus> subscriber : subscribers) {
            try {
                subscriber.accept(status);
            } catch (RuntimeException e) {
                log.warn("A sync subscriber failed on {}", status.commitId(), e);
            }
        }
    }
}
