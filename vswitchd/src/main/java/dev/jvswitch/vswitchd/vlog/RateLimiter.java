package dev.jvswitch.vswitchd.vlog;

import java.util.concurrent.TimeUnit;

/**
 * OVS's {@code VLOG_RATE_LIMIT_INIT(rate, burst)}: a token bucket that lets {@code burst}
 * messages through at once and {@code rate} per minute after that, and counts what it stops so
 * that the next message it lets through can say how many were dropped (as OVS's "Dropped N log
 * messages in last S seconds (most recently, T seconds ago) due to excessive rate").
 *
 * <p>{@link #allow} allocates nothing; a caller formats its message only when it returns true.
 *
 * <p><b>Thread-safety:</b> every method is {@code synchronized}: used by the control thread in
 * practice (uncontended), safe from any other.
 */
public final class RateLimiter {
    private static final long MINUTE_NS = TimeUnit.MINUTES.toNanos(1);

    private final long nsPerToken;
    private final long capacityNs;
    /** Tokens held, in ns of refill time (a token is {@link #nsPerToken}). */
    private long creditNs;
    private long lastNs;
    private boolean started;
    private long dropped;
    private long firstDroppedNs;
    private long lastDroppedNs;

    /**
     * @param perMinute messages per minute once the burst is spent (at least 1)
     * @param burst     messages let through at once (at least 1)
     */
    public RateLimiter(int perMinute, int burst) {
        if (perMinute < 1 || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be at least 1");
        }
        this.nsPerToken = MINUTE_NS / perMinute;
        this.capacityNs = nsPerToken * burst;
    }

    /** Whether a message may be logged at {@code nowNs}; counts it as dropped when not. */
    public synchronized boolean allow(long nowNs) {
        if (!started) {
            started = true;
            lastNs = nowNs;
            creditNs = capacityNs;
        }
        long elapsed = nowNs - lastNs;
        if (elapsed > 0) {
            creditNs = Math.min(capacityNs, creditNs + elapsed);
            lastNs = nowNs;
        }
        if (creditNs >= nsPerToken) {
            creditNs -= nsPerToken;
            return true;
        }
        if (dropped++ == 0) {
            firstDroppedNs = nowNs;
        }
        lastDroppedNs = nowNs;
        return false;
    }

    /**
     * After {@link #allow} returned true: the line that reports the messages dropped since the
     * last one let through, or null when none were; the count starts again from zero.
     */
    public synchronized String takeDroppedReport(long nowNs) {
        if (dropped == 0) {
            return null;
        }
        String s = "Dropped " + dropped + " log messages in last "
                + TimeUnit.NANOSECONDS.toSeconds(nowNs - firstDroppedNs) + " seconds (most recently, "
                + TimeUnit.NANOSECONDS.toSeconds(nowNs - lastDroppedNs) + " seconds ago) due to excessive rate";
        dropped = 0;
        return s;
    }

    /** Messages stopped since the last one let through. */
    public synchronized long dropped() {
        return dropped;
    }
}
