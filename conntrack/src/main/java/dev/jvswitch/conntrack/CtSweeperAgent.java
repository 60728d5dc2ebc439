package dev.jvswitch.conntrack;

import java.util.function.LongSupplier;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

/**
 * The ct sweeper: expires connections whose timeout passed, a slice of the table per duty cycle,
 * so that no PMD ever walks the table (OVS's {@code clean_thread}). A full pass over the table
 * takes about {@link #PASS_MS} whatever its size; each cycle sweeps the share of buckets that
 * keeps that pace.
 *
 * <p><b>Idle.</b> It has work once per 50 ms, so between cycles it sleeps
 * ({@link #idleStrategy()}: 5 ms at a time), not as a PMD backs off: a PMD's
 * parks of 50 us at most kept this thread waking and took 14 % of a CPU on a 2-CPU VM with no
 * traffic at all, CPU that ovn-controller and the OpenFlow threads wait for on such a box.
 *
 * <p><b>Thread-safety:</b> runs on its own thread; it takes the table's write lock per slice,
 * briefly, so PMDs creating connections wait at most one slice.
 */
public final class CtSweeperAgent implements Agent {
    /** Target time for one pass over the whole table. */
    public static final long PASS_MS = 1000;
    private static final int MIN_SLICE = 1024;
    private static final long PERIOD_MS = 50;
    /** The sweeper's sleep while it has nothing to do: a cycle starts at most this late. */
    static final long IDLE_SLEEP_MS = 5;

    private final Conntrack conntrack;
    private final LongSupplier clockMs;
    private long nextMs;

    public CtSweeperAgent(Conntrack conntrack, LongSupplier clockMs) {
        this.conntrack = conntrack;
        this.clockMs = clockMs;
    }

    /** How the sweeper's thread waits between cycles (see <b>Idle</b> above). */
    public static IdleStrategy idleStrategy() {
        return new SleepingMillisIdleStrategy(IDLE_SLEEP_MS);
    }

    @Override
    public int doWork() {
        long now = clockMs.getAsLong();
        if (now < nextMs) {
            return 0;
        }
        nextMs = now + PERIOD_MS;
        int buckets = conntrack.bucketCount();
        int slice = (int) Math.max(MIN_SLICE, buckets * PERIOD_MS / PASS_MS);
        return conntrack.sweep(now, slice) + 1;
    }

    @Override
    public String roleName() {
        return "ct-sweeper";
    }
}
