package dev.jvswitch.openflow.channel;

/**
 * A token bucket (OVS's {@code controller_rate_limit} and {@code controller_burst_limit}): up to
 * {@code burst} packets at once, refilled at {@code rate} per second; rate 0 lets everything
 * through. Time comes from the caller.
 *
 * <p>Not thread-safe: one per connection, used on its event loop.
 */
final class RateLimiter {
    private final long rate;
    private final long burst;
    private double tokens;
    private long lastNs;

    RateLimiter(long rate, long burst, long nowNs) {
        this.rate = rate;
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
        this.lastNs = nowNs;
    }

    /** True if one more packet may go now (and takes its token). */
    boolean tryAcquire(long nowNs) {
        if (rate == 0) {
            return true;
        }
        tokens = Math.min(burst, tokens + (nowNs - lastNs) * rate / 1e9);
        lastNs = nowNs;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
