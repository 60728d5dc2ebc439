package dev.jvswitch.bench.traffic;

/**
 * The pacing arithmetic of a generator sending {@code pps} frames per second: how many frames
 * are due at a given time, how long to wait when none is, and what to give up after falling
 * behind. Time comes from the caller (tests step it by hand).
 *
 * <p>Frames due by time {@code t} after the start are {@code floor(t * pps)}: the schedule is
 * anchored at the start, so rounding never accumulates and the long-run rate is exact to the
 * clock's accuracy. Frames that are due leave at once, at most a burst at a time; so a sender that
 * wakes late catches up at its own ceiling. A backlog beyond {@code maxBacklog} frames (the
 * sender was descheduled, or the rate is above what it can send) is skipped and counted instead
 * of being sent as one long burst: the frames skipped are the shortfall from the rate asked for.
 *
 * <p><b>Thread-safety:</b> one owner (the sending thread).
 */
public final class Pacer {
    private final double pps;
    private final double nsPerFrame;
    private final long maxBacklog;
    private long startNs;
    /** Frames sent or skipped so far: the schedule's position. */
    private long credited;
    private long skipped;

    /**
     * @param pps           frames per second, positive
     * @param maxBacklogNs  how far behind the schedule the sender may fall before frames are
     *                      skipped (at least one burst of 32 either way)
     */
    public Pacer(double pps, long maxBacklogNs) {
        if (!(pps > 0) || Double.isInfinite(pps)) {
            throw new IllegalArgumentException("rate must be positive, got " + pps);
        }
        this.pps = pps;
        this.nsPerFrame = 1e9 / pps;
        this.maxBacklog = Math.max(32, (long) (pps * maxBacklogNs / 1e9));
    }

    /** Anchors the schedule at {@code nowNs}; nothing is due yet. */
    public void start(long nowNs) {
        startNs = nowNs;
        credited = 0;
        skipped = 0;
    }

    /** Frames due since the start by {@code nowNs}. */
    long scheduled(long nowNs) {
        return (long) ((nowNs - startNs) / nsPerFrame);
    }

    /**
     * How many frames to send now, at most {@code burst}; 0 when the next is not due yet. Skips
     * (and counts) the part of a backlog beyond the limit.
     */
    public int due(long nowNs, int burst) {
        long backlog = scheduled(nowNs) - credited;
        if (backlog <= 0) {
            return 0;
        }
        if (backlog > maxBacklog) {
            skipped += backlog - maxBacklog;
            credited += backlog - maxBacklog;
            backlog = maxBacklog;
        }
        return (int) Math.min(backlog, burst);
    }

    /** Records that {@code n} of the frames due were sent. */
    public void sent(int n) {
        credited += n;
    }

    /** How long until the next frame is due, 0 if one is. */
    public long nsUntilNext(long nowNs) {
        long nextAt = startNs + (long) Math.ceil((credited + 1) * nsPerFrame);
        return Math.max(0, nextAt - nowNs);
    }

    /** Frames sent or skipped so far: the index in the schedule of the next frame to send. */
    public long position() {
        return credited;
    }

    /**
     * When frame {@code index} (0-based) of the schedule fell due: the time a NIC would have
     * received it, never after the {@link #due} call that let it go.
     */
    public long dueAtNs(long index) {
        return startNs + (long) ((index + 1) * nsPerFrame);
    }

    /** Frames given up because the sender fell more than the backlog limit behind. */
    public long skipped() {
        return skipped;
    }

    public double pps() {
        return pps;
    }
}
