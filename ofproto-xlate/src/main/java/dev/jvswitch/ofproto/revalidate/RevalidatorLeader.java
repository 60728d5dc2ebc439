package dev.jvswitch.ofproto.revalidate;

import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;

/**
 * The first revalidator thread's duty cycle (OVS's leader revalidator), run by an
 * {@code AgentRunner}: each {@link #doWork()} drains the commands the {@link RevalidatorProxy}
 * queued, then, if a cycle is due, runs one whole cycle ({@link RevalidatorPool#cycleOnce}): it
 * dumps the ukeys into every revalidator's slice, releases the {@linkplain RevalidatorWorker
 * workers} through the phaser, does its own share, and after the workers are done adjusts the
 * flow limit, sends the cycle's fence and publishes the counters.
 *
 * <p><b>When a cycle is due</b>: a wakeup came, the table version moved since the last cycle, a
 * fence completed while a change is half covered, or the interval
 * ({@link RevalidatorConfig#intervalMs()}) has passed since the last cycle started. Otherwise the
 * {@link #idleStrategy()} parks the thread until the interval ends; a wakeup, a command, a fence's
 * completion or a stop unparks it.
 *
 * <p><b>Stopping</b>: only the leader decides when the threads stop. {@link #requestStop()} makes
 * the next duty cycle end the agent (after the cycle in progress); closing it terminates the
 * phaser, which ends every worker's duty cycle too. A worker that read a stop flag itself could
 * leave a leader that had already begun a cycle waiting for it.
 *
 * <p><b>Thread-safety:</b> {@link #doWork()}, the idle strategy and {@link #onClose()} run on the
 * leader thread ({@code onClose} on the closing thread if the runner never started).
 * {@code stopping} is volatile: written by the control thread, read here. {@code dueNs} is the
 * leader thread's own.
 */
final class RevalidatorLeader implements Agent {
    /** Commands run per duty cycle at most, so a flood of them cannot delay a due cycle. */
    static final int COMMAND_LIMIT = 16;

    private final RevalidatorPool pool;
    private final RevalidatorProxy proxy;
    private final Phaser phaser;
    private final IdleStrategy idle = new ParkUntilDue();
    private volatile boolean stopping;
    private long dueNs = System.nanoTime();

    RevalidatorLeader(RevalidatorPool pool, RevalidatorProxy proxy, Phaser phaser) {
        this.pool = pool;
        this.proxy = proxy;
        this.phaser = phaser;
    }

    @Override
    public String roleName() {
        return "revalidator0";
    }

    @Override
    public int doWork() {
        if (stopping) {
            throw new AgentTerminationException(true);
        }
        int work = proxy.drain(COMMAND_LIMIT);
        if (!pool.cycleDue(System.nanoTime() - dueNs >= 0)) {
            return work;
        }
        long startNs = System.nanoTime();
        try {
            pool.cycleOnce(true);
        } catch (RuntimeException | Error e) {
            pool.onError(e);
        }
        dueNs = startNs + TimeUnit.MILLISECONDS.toNanos(pool.currentConfig().intervalMs());
        return work + 1;
    }

    /** Releases the workers for good: their next (or current) phaser wait returns terminated. */
    @Override
    public void onClose() {
        if (phaser != null) {
            phaser.forceTermination();
        }
    }

    /** Ends the agent at its next duty cycle (after the cycle in progress) and wakes it. */
    void requestStop() {
        stopping = true;
        proxy.unpark();
    }

    /** How the leader idles between duty cycles that found nothing to do. */
    IdleStrategy idleStrategy() {
        return idle;
    }

    /**
     * Parks until the next cycle is due; an unpark ends it early. A stop asked before the park
     * makes it return at once, and one asked during it unparks it.
     */
    private final class ParkUntilDue implements IdleStrategy {
        @Override
        public void idle(int workCount) {
            if (workCount <= 0) {
                idle();
            }
        }

        @Override
        public void idle() {
            if (stopping) {
                return;
            }
            long remaining = dueNs - System.nanoTime();
            if (remaining > 0) {
                LockSupport.parkNanos(this, remaining);
            }
        }

        @Override
        public void reset() {
        }
    }
}
