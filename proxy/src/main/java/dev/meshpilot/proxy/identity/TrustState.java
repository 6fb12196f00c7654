package dev.meshpilot.proxy.identity;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA's current signer and trust bundle, swapped whole: one root, or two during a {@link RootRotation}. The
 * previous root retires lazily, the first time the bundle is read after its last certificate expired.
 */
final class TrustState {

    private static final Logger log = LoggerFactory.getLogger(TrustState.class);

    private record State(Signer signer, @Nullable RootRotation rotation, TrustBundle bundle) {}

    private final String trustDomain;
    private final Clock clock;
    private final AtomicReference<State> state;
    private final List<Consumer<TrustBundle>> listeners = new CopyOnWriteArrayList<>();

    /** Trusting {@code signer}'s root, and the previous one of {@code resumed} (a rotation kept across a restart). */
    TrustState(String trustDomain, Clock clock, Signer signer, @Nullable RootRotation resumed) {
        this.trustDomain = trustDomain;
        this.clock = clock;
        this.state = new AtomicReference<>(resumed == null ? single(signer) : new State(signer, resumed,
                TrustBundle.of(trustDomain, resumed.previousRoot(), signer.anchor())));
    }

    Signer signer() {
        return state.get().signer();
    }

    TrustBundle bundle() {
        return current().bundle();
    }

    Optional<RootRotation> rotation() {
        return Optional.ofNullable(current().rotation());
    }

    /**
     * Swaps in the signer {@code next} creates, trusting both roots until the previous one's last expiry;
     * {@code keep} stores the rotation before anyone sees it.
     */
    synchronized RootRotation rotate(Supplier<Signer> next, Consumer<RootRotation> keep) {
        State now = current();
        if (now.rotation() != null) {
            throw new IllegalStateException("a root rotation is in progress until "
                    + now.rotation().previousRootRetiresAt() + " (expected: none; finish it first)");
        }
        Signer previous = now.signer();
        Signer signer = next.get();
        Instant started = clock.instant();
        Instant last = previous.latestNotAfter();
        RootRotation rotation = new RootRotation(previous.anchor(), signer.anchor(), started,
                last.isAfter(started) ? last : started);
        keep.accept(rotation);
        State rotating = new State(signer, rotation, TrustBundle.of(trustDomain, previous.anchor(), signer.anchor()));
        state.set(rotating);
        log.info("Root rotation started: {}", rotation);
        notifyListeners(rotating.bundle());
        return rotation;
    }

    /** Retires the previous root now; {@code forget} removes the stored rotation first. */
    synchronized Optional<RootRotation> finish(Runnable forget) {
        State now = state.get();
        if (now.rotation() == null) {
            return Optional.empty();
        }
        forget.run();
        retire(now, "finished by an operator");
        return Optional.of(now.rotation());
    }

    AutoCloseable addListener(Consumer<TrustBundle> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private State current() {
        State now = state.get();
        RootRotation rotation = now.rotation();
        if (rotation != null && !clock.instant().isBefore(rotation.previousRootRetiresAt())) {
            return retire(now, "its last certificate expired");
        }
        return now;
    }

    private State retire(State rotating, String why) {
        State done = single(rotating.signer());
        if (state.compareAndSet(rotating, done)) {
            log.info("Root rotation over ({}): {} left the trust bundle", why,
                    MeshRoots.describe(rotating.rotation().previousRoot()));
            notifyListeners(done.bundle());
        }
        return state.get();
    }

    private void notifyListeners(TrustBundle bundle) {
        for (Consumer<TrustBundle> listener : listeners) {
            try {
                listener.accept(bundle);
            } catch (RuntimeException e) {
                log.warn("A trust listener failed on the new bundle: {}", e.toString());
            }
        }
    }

    private State single(Signer signer) {
        return new State(signer, null, TrustBundle.of(trustDomain, signer.anchor()));
    }
}
