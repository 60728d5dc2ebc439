package dev.jvswitch.conntrack;

import java.util.function.LongSupplier;

import org.agrona.concurrent.Agent;

/**
 * The ct sweeper: expires connections whose timeout passed, a slice of the table per duty cycle,
 * so that no PMD ever walks the table (OVS's {@code clean_thread}). A full pass over the table
 * takes about {@link #PASS_MS} whatever its size; each cycle sweeps the share of buckets that
 * keeps that pace.
 *
 * <p><b>Thread-safety:</b> runs on its own thread; it takes the table's write lock per slice,
 * briefly, so PMDs creating connections wait at most one slice.
 */
public final class CtSweeperAgent implements Agent {
    /** Target time for one pass over the whole table. */
    public static final long PASS_MS = 1000;
    private static final int MIN_SLICE = 1024;
    private static final long PERIOD_MS = 50;

    private final Conntrack conntrack;
    private final LongSupplier clockMs;
    private long nextMs;

    public CtSweeperAgent(Conntrack conntrack, LongSupplier clockMs) {
        this.conntrack = conntrack;
        this.clockMs = clockMs;
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
