package dev.jvswitch.ofproto.revalidate;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The bookkeeping of the change barrier ({@link RevalidatorPool#awaitRevalidated}): the fences
 * each cycle sends every PMD, and from their completions the two versions the handshake needs.
 *
 * <ul>
 *   <li>{@link #fenceDoneSeq()}: the highest table version S such that a fence sent after S was
 *       published has run on every PMD. From then on no PMD runs an upcall that translated
 *       against a version older than S: every such upcall was finished, and its ukey registered,
 *       before its PMD ran the fence.</li>
 *   <li>{@link #revalidatedSeq()}: the highest S such that every live megaflow's actions were
 *       computed against version S or later, and every PMD has run the commands that installed
 *       them.</li>
 * </ul>
 *
 * A fence records the version its cycle observed ({@code observedSeq}) and the version the cycle
 * covered ({@code coveredSeq}, or -1); when it has run on every PMD, {@code fenceDoneSeq} rises to
 * the first and {@code revalidatedSeq} to the second. A PMD runs commands in the order they were
 * offered, so fences complete in the order they were sent; only the oldest is ever checked.
 *
 * <p><b>Thread-safety:</b> every method is {@code synchronized}; the leader adds and polls,
 * waiters poll and wait on this monitor, and a PMD thread that completes a fence polls and
 * notifies (its callback runs in the PMD's command, after the PMD's own work, and holds the
 * monitor only briefly; nobody holds it while waiting for a PMD). {@code revalidatedSeq} is also
 * volatile for lock-free reads.
 */
final class ChangeBarrier {
    /** Most fences in flight; a cycle sends none while this many are pending (PMDs stopped). */
    static final int MAX_PENDING = 64;

    private final ArrayDeque<Fence> fences = new ArrayDeque<>();
    private final Runnable onProgress;
    private long fenceDoneSeq = -1;
    private volatile long revalidatedSeq = -1;

    /** @param onProgress run (on whichever thread saw a fence complete) after every advance */
    ChangeBarrier(Runnable onProgress) {
        this.onProgress = onProgress;
    }

    /**
     * Records a fence whose commands are {@code done} (one per PMD, all offered).
     *
     * @return false if too many fences are pending and this one was not recorded
     */
    synchronized boolean add(long observedSeq, long coveredSeq, CompletableFuture<?>[] done) {
        if (fences.size() >= MAX_PENDING) {
            return false;
        }
        fences.addLast(new Fence(observedSeq, coveredSeq, done));
        CompletableFuture.allOf(done).whenComplete((v, e) -> onFenceDone());
        return true;
    }

    private void onFenceDone() {
        if (poll()) {
            onProgress.run();
        }
    }

    /** Retires every completed fence; true if a version advanced. */
    synchronized boolean poll() {
        boolean advanced = false;
        while (!fences.isEmpty() && fences.peekFirst().isDone()) {
            Fence f = fences.pollFirst();
            if (f.observedSeq > fenceDoneSeq) {
                fenceDoneSeq = f.observedSeq;
                advanced = true;
            }
            if (f.coveredSeq > revalidatedSeq) {
                revalidatedSeq = f.coveredSeq;
                advanced = true;
            }
        }
        if (advanced) {
            notifyAll();
        }
        return advanced;
    }

    synchronized long fenceDoneSeq() {
        return fenceDoneSeq;
    }

    long revalidatedSeq() {
        return revalidatedSeq;
    }

    synchronized boolean hasPendingFences() {
        return !fences.isEmpty();
    }

    synchronized int pendingFences() {
        return fences.size();
    }

    /**
     * Waits until {@link #revalidatedSeq()} reaches {@code seq} or {@code deadlineNs}
     * ({@link System#nanoTime()}) passes.
     */
    synchronized boolean await(long seq, long deadlineNs) throws InterruptedException {
        while (revalidatedSeq < seq) {
            poll();
            if (revalidatedSeq >= seq) {
                break;
            }
            long remaining = deadlineNs - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
        return true;
    }

    /** Waits (bounded) until every pending fence has run; for callers with no leader to wait for. */
    void awaitFences(long deadlineNs) throws InterruptedException {
        Fence last;
        synchronized (this) {
            last = fences.peekLast();
        }
        if (last == null) {
            return;
        }
        for (CompletableFuture<?> f : last.done) {
            long remaining = deadlineNs - System.nanoTime();
            if (remaining <= 0) {
                return;
            }
            try {
                f.get(remaining, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return;
            }
        }
    }

    private record Fence(long observedSeq, long coveredSeq, CompletableFuture<?>[] done) {
        boolean isDone() {
            for (CompletableFuture<?> f : done) {
                if (!f.isDone()) {
                    return false;
                }
            }
            return true;
        }
    }
}
