package dev.meshpilot.sync;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.CompileResult;
import dev.meshpilot.policy.Finding;
import dev.meshpilot.policy.MeshCompiler;
import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.SourceFile;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.eclipse.jgit.events.ListenerHandle;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the tracked branch and syncs every new head: reads its YAML files, compiles them (version = commit
 * id) and applies the snapshot to each target in order. An invalid commit is REJECTED with its findings and a
 * failing target makes it FAILED; in both cases the live snapshot stays where it was. A FAILED head is retried
 * with a backoff (1 s doubling to 60 s); an APPLIED or REJECTED head is never synced twice.
 */
public final class SyncLoop implements AutoCloseable {

    /** How many statuses {@link #history()} keeps. */
    public static final int HISTORY_LIMIT = 200;

    private static final Logger log = LoggerFactory.getLogger(SyncLoop.class);
    private static final long POLL_MILLIS = 50;
    private static final Duration MAX_RETRY = Duration.ofSeconds(60);

    private final MeshRepository repository;
    private final String branch;
    private final List<SyncTarget> targets;
    private final BiFunction<String, List<SourceFile>, CompileResult> compiler;
    private final List<Consumer<SyncStatus>> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock syncLock = new ReentrantLock();
    private final Semaphore wakeUp = new Semaphore(0);

    private volatile List<SyncStatus> history = List.of();
    private volatile @Nullable MeshSnapshot live;
    private volatile boolean closed;
    private @Nullable String lastHead;
    private int failures;
    private Instant retryAt = Instant.MIN;
    private @Nullable Thread thread;
    private @Nullable ListenerHandle refsListener;

    /** A loop that compiles with {@link MeshCompiler#compile}. */
    public SyncLoop(MeshRepository repository, String branch, List<SyncTarget> targets) {
        this(repository, branch, targets, MeshCompiler::compile);
    }

    /** A loop with its own compile step (version, files) → result. */
    public SyncLoop(MeshRepository repository, String branch, List<SyncTarget> targets,
                    BiFunction<String, List<SourceFile>, CompileResult> compiler) {
        this.repository = requireNonNull(repository, "repository");
        this.branch = requireNonNull(branch, "branch");
        this.targets = List.copyOf(targets);
        this.compiler = requireNonNull(compiler, "compiler");
    }

    /** Starts the background thread {@code meshpilot-sync}; it notices a new head within about 50 ms. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("sync loop of " + branch + " is closed");
        }
        if (thread != null) {
            return;
        }
        refsListener = repository.jgit().getListenerList().addRefsChangedListener(event -> wakeUp.release());
        Thread loop = new Thread(this::run, "meshpilot-sync");
        loop.setDaemon(true);
        thread = loop;
        loop.start();
    }

    /**
     * Syncs the branch's head now and returns its status. A head already APPLIED or REJECTED is not synced
     * again (its status is returned); a FAILED head is retried.
     *
     * @throws IllegalStateException when the branch has no commit
     */
    public SyncStatus syncNow() {
        syncLock.lock();
        try {
            String head = repository.head(branch)
                    .orElseThrow(() -> new IllegalStateException("branch " + branch + " has no commit to sync"));
            Optional<SyncStatus> known = statusOf(head);
            if (head.equals(lastHead) && known.isPresent() && known.get().state() != SyncState.FAILED) {
                return known.get();
            }
            if (!head.equals(lastHead)) {
                failures = 0;
            }
            Outcome outcome = sync(head);
            SyncStatus status = outcome.status();
            lastHead = head;
            if (status.state() == SyncState.FAILED) {
                failures++;
                long backoff = Math.min(MAX_RETRY.toMillis(), 1000L << Math.min(failures - 1, 6));
                retryAt = Instant.now().plusMillis(backoff);
            } else {
                failures = 0;
            }
            record(outcome);
            return status;
        } finally {
            syncLock.unlock();
        }
    }

    /** The status of a synced commit (full id), if it is still in the history. */
    public Optional<SyncStatus> statusOf(String commitId) {
        requireNonNull(commitId, "commitId");
        return history.stream().filter(s -> s.commitId().equals(commitId)).findFirst();
    }

    /** Statuses of the last {@value #HISTORY_LIMIT} syncs, newest first. */
    public List<SyncStatus> history() {
        return history;
    }

    /** The snapshot of the last APPLIED commit. */
    public Optional<MeshSnapshot> live() {
        return Optional.ofNullable(live);
    }

    /** Called on the sync thread after every sync, with its status. */
    public void addListener(Consumer<SyncStatus> listener) {
        listeners.add(requireNonNull(listener, "listener"));
    }

    /** Stops the background thread (waits up to 5 s for a sync in progress). */
    @Override
    public void close() {
        Thread loop;
        synchronized (this) {
            closed = true;
            loop = thread;
            if (refsListener != null) {
                refsListener.remove();
            }
        }
        wakeUp.release();
        if (loop != null && loop != Thread.currentThread()) {
            try {
                loop.join(5000);
                if (loop.isAlive()) {
                    loop.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (!closed) {
            try {
                Optional<String> head = repository.head(branch);
                boolean due = head.isPresent() && (!head.get().equals(lastHeadSeen()) || retryDue());
                if (due) {
                    syncNow();
                }
                wakeUp.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | LinkageError e) {
                log.error("sync loop of {}: {} (next attempt in 1 s)", branch, e.toString(), e);
                try {
                    wakeUp.tryAcquire(1, TimeUnit.SECONDS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private @Nullable String lastHeadSeen() {
        syncLock.lock();
        try {
            return lastHead;
        } finally {
            syncLock.unlock();
        }
    }

    private boolean retryDue() {
        syncLock.lock();
        try {
            return failures > 0 && !Instant.now().isBefore(retryAt);
        } finally {
            syncLock.unlock();
        }
    }

    /** A sync's status, and the snapshot it applied ({@code null} unless APPLIED). */
    private record Outcome(SyncStatus status, @Nullable MeshSnapshot applied) {
        static Outcome unapplied(SyncStatus status) {
            return new Outcome(status, null);
        }
    }

    private Outcome sync(String head) {
        String author = "";
        String subject = "";
        List<String> messages = new ArrayList<>();
        try {
            RevCommit commit = repository.jgit().parseCommit(ObjectId.fromString(head));
            author = commit.getAuthorIdent().getName();
            subject = commit.getShortMessage();
            List<SourceFile> files = repository.filesAt(head);
            CompileResult result = compiler.apply(head, files);
            MeshSnapshot snapshot = result.snapshot();
            if (snapshot == null) {
                log.warn("commit {} \"{}\" by {} REJECTED with {} error(s):", abbrev(head), subject, author,
                        result.errors().size());
                for (Finding finding : result.findings()) {
                    log.warn("  {}", finding);
                }
                return Outcome.unapplied(status(head, SyncState.REJECTED, result.findings(), messages, author, subject));
            }
            if (!applyAll(snapshot, files, messages)) {
                return Outcome.unapplied(status(head, SyncState.FAILED, result.findings(), messages, author, subject));
            }
            log.info("commit {} \"{}\" by {} APPLIED: {}", abbrev(head), subject, author, messages);
            return new Outcome(status(head, SyncState.APPLIED, result.findings(), messages, author, subject), snapshot);
        } catch (IOException | RuntimeException | LinkageError | StackOverflowError e) {
            messages.add("sync: failed: " + e);
            log.error("commit {} FAILED: {}", abbrev(head), e.toString(), e);
            return Outcome.unapplied(status(head, SyncState.FAILED, List.of(), messages, author, subject));
        }
    }

    private boolean applyAll(MeshSnapshot snapshot, List<SourceFile> files, List<String> messages) {
        for (int i = 0; i < targets.size(); i++) {
            SyncTarget target = targets.get(i);
            long start = System.nanoTime();
            try {
                target.apply(snapshot, files);
                messages.add(target.name() + ": applied in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                messages.add(target.name() + ": failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                targets.subList(i + 1, targets.size()).forEach(t -> messages.add(t.name() + ": skipped"));
                log.error("commit {} FAILED on target {}: {}", abbrev(snapshot.version()), target.name(), e.toString(), e);
                return false;
            }
        }
        return true;
    }

    /**
     * Publishes a sync: its status first, then the live snapshot, then the listeners — so whoever sees the live
     * snapshot of a commit also finds that commit's status.
     */
    private void record(Outcome outcome) {
        SyncStatus status = outcome.status();
        List<SyncStatus> next = new ArrayList<>(HISTORY_LIMIT);
        next.add(status);
        for (SyncStatus old : history) {
            if (next.size() < HISTORY_LIMIT && !old.commitId().equals(status.commitId())) {
                next.add(old);
            }
        }
        history = List.copyOf(next);
        if (outcome.applied() != null) {
            live = outcome.applied();
        }
        for (Consumer<SyncStatus> listener : listeners) {
            try {
                listener.accept(status);
            } catch (RuntimeException e) {
                log.error("sync listener failed on {}: {}", abbrev(status.commitId()), e.toString(), e);
            }
        }
    }

    private static SyncStatus status(String head, SyncState state, List<Finding> findings, List<String> messages,
                                     String author, String subject) {
        return new SyncStatus(head, state, findings, messages, Instant.now(), author, subject);
    }

    private static String abbrev(String commitId) {
        return commitId.length() > 10 ? commitId.substring(0, 10) : commitId;
    }
}
