package dev.jvswitch.vswitchd;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How other threads ask the {@link ControlAgent} for things: typed methods that offer a command
 * onto the agent's queue and wake its selector (Aeron's proxy shape). Signal handlers call it
 * (SIGHUP: {@link #reload}, SIGTERM/SIGINT: {@link #exit}), so do the shutdown hook and the
 * {@code exit} command.
 *
 * <p><b>Coalescing.</b> A reload already queued covers every later request until the agent takes
 * it (it reads the file as it is then), and the first shutdown request wins; so at most two
 * commands are ever queued and an offer cannot find the queue full. Every request is counted
 * ({@code signal_hup}, {@code signal_term} in {@code coverage/show}); a failed offer would be
 * counted too.
 *
 * <p><b>Thread-safety:</b> any thread. {@code reloadQueued} and {@code exitReason} are set by
 * compare-and-set before the offer and read by the agent after its poll, which the queue's
 * release/acquire orders; the counters are atomics read by the control thread.
 */
final class ControlProxy {
    /** What the agent is asked to do. */
    enum Command { RELOAD, EXIT }

    private final Queue<Command> queue;
    private final Runnable wakeup;
    private final AtomicBoolean reloadQueued = new AtomicBoolean();
    private final AtomicReference<String> exitReason = new AtomicReference<>();
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong exits = new AtomicLong();
    private final AtomicLong failedOffers = new AtomicLong();

    ControlProxy(Queue<Command> queue, Runnable wakeup) {
        this.queue = queue;
        this.wakeup = wakeup;
    }

    /** Re-read the config file and apply it (SIGHUP). */
    void reload() {
        reloads.incrementAndGet();
        if (reloadQueued.compareAndSet(false, true)) {
            offer(Command.RELOAD);
        }
        wakeup.run();
    }

    /** Shut down, for {@code reason} (the first reason given is the one logged). */
    void exit(String reason) {
        exits.incrementAndGet();
        if (exitReason.compareAndSet(null, reason)) {
            offer(Command.EXIT);
        }
        wakeup.run();
    }

    private void offer(Command c) {
        if (!queue.offer(c)) {
            failedOffers.incrementAndGet();
        }
    }

    /** Agent: it took the queued reload; the next request queues another. */
    void onReloadTaken() {
        reloadQueued.set(false);
    }

    /** Agent: the reason of the queued shutdown. */
    String takeExitReason() {
        return exitReason.get();
    }

    /** Reload requests so far. */
    long reloadsRequested() {
        return reloads.get();
    }

    /** Shutdown requests so far. */
    long exitsRequested() {
        return exits.get();
    }

    /** Offers the queue refused (none, by the coalescing above). */
    long failedOffers() {
        return failedOffers.get();
    }
}
