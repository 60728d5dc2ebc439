package dev.jvswitch.openflow.channel;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packet-outs and resumes of one connection that a PMD has taken but may not have run yet.
 * OVS runs a packet-out before it reads the next request, so a controller may count on a barrier
 * reply meaning "every earlier packet-out has left": the barrier {@linkplain #await waits} for
 * these before it is answered. A PMD runs its commands at the top of every iteration, so the wait
 * is one iteration (plus the idle strategy's park) at most; a PMD that takes none of its commands
 * for {@link #WAIT_MS} ms gets the barrier answered anyway, with a warning.
 *
 * <p>Holds only executions not known to be done: finished ones are dropped as new ones come, so a
 * connection sending packet-outs without barriers keeps at most what the PMDs' command queues hold.
 *
 * <p><b>Thread-safety:</b> change thread only (the executions complete on PMD threads).
 */
final class PendingExecutions {
    private static final Logger LOG = LoggerFactory.getLogger("openflow");
    /** Longest a barrier waits for earlier packet-outs. */
    static final long WAIT_MS = 2_000;
    /** How many executions are kept before the finished ones among them are swept out. */
    private static final int SWEEP_AT = 256;

    private final String bridge;
    private final ArrayDeque<CompletableFuture<Void>> pending = new ArrayDeque<>();

    PendingExecutions(String bridge) {
        this.bridge = bridge;
    }

    /** Keeps {@code execution} (null or done: nothing to keep) until the next barrier. */
    void add(CompletableFuture<Void> execution) {
        while (!pending.isEmpty() && pending.peekFirst().isDone()) {
            pending.pollFirst();
        }
        if (execution == null || execution.isDone()) {
            return;
        }
        if (pending.size() >= SWEEP_AT) {
            // Several PMDs finish out of order: the head may wait while later ones are done.
            pending.removeIf(CompletableFuture::isDone);
        }
        pending.addLast(execution);
    }

    /** Waits until every execution kept so far has run (at most {@link #WAIT_MS}), then forgets them. */
    void await() {
        if (pending.isEmpty()) {
            return;
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]));
        int n = pending.size();
        pending.clear();
        try {
            all.get(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{}: barrier answered before {} earlier packet-outs ran: a PMD took no command for {} ms",
                    bridge, n, WAIT_MS);
        } catch (ExecutionException e) {
            LOG.warn("{}: an earlier packet-out failed on its PMD: {}", bridge, e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
