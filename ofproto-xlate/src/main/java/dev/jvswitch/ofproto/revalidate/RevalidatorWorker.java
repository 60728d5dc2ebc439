package dev.jvswitch.ofproto.revalidate;

import java.util.concurrent.Phaser;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;

/**
 * The duty cycle of every revalidator thread but the first, run by an {@code AgentRunner}: one
 * {@link #doWork()} is one cycle's share. It waits at the phaser until the leader has dumped the
 * ukeys into the slices and written the cycle's parameters, revalidates its own slice, then
 * arrives again so that the leader finishes the cycle only after every share is done. The phaser
 * orders both hand-overs (arrive/advance is a happens-before edge both ways), so the slice, the
 * {@link RevalidatorPool.Cycle} and the revalidator's counters need no other synchronisation.
 *
 * <p>The waits happen inside the duty cycle, so the runner's idle strategy never runs (a no-op).
 * When the leader closes, the phaser is terminated and the wait returns a negative phase: the
 * worker ends ({@link AgentTerminationException}, expected).
 *
 * <p><b>Thread-safety:</b> confined to its thread, apart from the hand-overs above.
 */
final class RevalidatorWorker implements Agent {
    private final RevalidatorPool pool;
    private final Revalidator revalidator;
    private final Phaser phaser;

    RevalidatorWorker(RevalidatorPool pool, Revalidator revalidator, Phaser phaser) {
        this.pool = pool;
        this.revalidator = revalidator;
        this.phaser = phaser;
    }

    @Override
    public String roleName() {
        return "revalidator" + revalidator.index;
    }

    @Override
    public int doWork() {
        awaitLeader();
        try {
            revalidator.onCycle(pool.cycle());
        } catch (RuntimeException | Error e) {
            pool.onError(e);
            revalidator.incomplete = true;
            revalidator.slice.clear();
        }
        awaitLeader();
        return 1;
    }

    private void awaitLeader() {
        if (phaser.arriveAndAwaitAdvance() < 0) {
            throw new AgentTerminationException(true);
        }
    }
}
