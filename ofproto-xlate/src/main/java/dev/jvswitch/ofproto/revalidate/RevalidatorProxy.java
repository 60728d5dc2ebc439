package dev.jvswitch.ofproto.revalidate;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * Commands to the revalidator leader from other threads (Aeron's {@code SenderProxy} shape):
 * each typed method offers a command onto a many-to-one queue that the leader drains at the top
 * of its duty cycle ({@link RevalidatorLeader#doWork()}; without threads, {@link
 * RevalidatorPool#runCycle()} drains it), then wakes the leader. The commands change the state
 * the cycles run with (in {@link RevalidatorPool}), which only the thread running cycles
 * touches. A refused offer (queue full) is counted and reported false.
 *
 * <p>A wakeup carries no data and many threads ask for one (every change barrier does), so it is
 * a flag rather than a command: any number of wakeups before the leader looks make one cycle.
 *
 * <p><b>Thread-safety:</b> any thread may call every method. The queue's offer is a release and
 * the leader's poll an acquire, so a command's fields are visible to the leader; the wakeup flag
 * is an {@link AtomicBoolean} (set, then get-and-clear by the leader).
 */
final class RevalidatorProxy {
    /** Queued commands at most; the control plane sends a handful per reload. */
    static final int CAPACITY = 64;

    private final ManyToOneConcurrentArrayQueue<Runnable> commands = new ManyToOneConcurrentArrayQueue<>(CAPACITY);
    private final AtomicBoolean wakeRequested = new AtomicBoolean();
    private final AtomicLong failedOffers = new AtomicLong();
    private volatile Thread leaderThread;

    /** The thread to unpark on a command or wakeup (null while no leader thread runs). */
    void leaderThread(Thread t) {
        leaderThread = t;
    }

    /** Starts a cycle now rather than at the next interval. */
    void wakeup() {
        wakeRequested.set(true);
        unpark();
    }

    /** Deletes every flow in the next cycle. */
    boolean purge(RevalidatorPool pool) {
        return offer(pool::onPurge);
    }

    /** New tuning, from the next cycle on. */
    boolean reconfigure(RevalidatorPool pool, RevalidatorConfig next) {
        return offer(() -> pool.onReconfigure(next));
    }

    /** Leader: runs up to {@code limit} queued commands; returns how many ran. */
    int drain(int limit) {
        return commands.drain(Runnable::run, limit);
    }

    /** Leader: true (once) if a wakeup came since the last call. */
    boolean takeWakeup() {
        return wakeRequested.getAndSet(false);
    }

    /** Commands refused because the queue was full. */
    long failedOffers() {
        return failedOffers.get();
    }

    /** Wakes the leader if it is parked (a fence completed, a stop was asked). */
    void unpark() {
        Thread t = leaderThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private boolean offer(Runnable command) {
        if (!commands.offer(command)) {
            failedOffers.incrementAndGet();
            return false;
        }
        wakeup();
        return true;
    }
}
