package dev.jvswitch.ofproto.revalidate;

import dev.jvswitch.pmd.DatapathConfig;

/**
 * Revalidator tuning, with OVS's key names. Immutable; {@link RevalidatorPool#reconfigure} takes
 * a new instance (every field but the thread count changes live).
 *
 * @param threads          {@code n-revalidator-threads}; the first is the leader
 * @param maxIdleMs        {@code max-idle}: a flow unused for longer is deleted
 * @param flowLimit        {@code flow-limit}: the ceiling of the dynamic flow limit
 * @param maxRevalidatorMs {@code max-revalidator}: the longest time between two cycles (a cycle
 *                         runs every {@code min(max-idle, max-revalidator)}, or at once on a
 *                         table change)
 */
public record RevalidatorConfig(int threads, long maxIdleMs, int flowLimit, long maxRevalidatorMs) {
    public static final long DEFAULT_MAX_IDLE_MS = 10_000;
    /** The datapath's: upcalls stop installing at the same limit. */
    public static final int DEFAULT_FLOW_LIMIT = DatapathConfig.DEFAULT_FLOW_LIMIT;
    public static final long DEFAULT_MAX_REVALIDATOR_MS = 500;
    /** Most revalidator threads the default picks, however many CPUs there are. */
    public static final int MAX_DEFAULT_THREADS = 8;
    /** Most revalidator threads allowed at all. */
    public static final int MAX_THREADS = 64;

    public RevalidatorConfig {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("n-revalidator-threads must be within 1.." + MAX_THREADS + ", got "
                    + threads);
        }
        if (maxIdleMs < 1) {
            throw new IllegalArgumentException("max-idle must be at least 1 ms, got " + maxIdleMs);
        }
        if (flowLimit < 1) {
            throw new IllegalArgumentException("flow-limit must be at least 1, got " + flowLimit);
        }
        if (maxRevalidatorMs < 1) {
            throw new IllegalArgumentException("max-revalidator must be at least 1 ms, got " + maxRevalidatorMs);
        }
    }

    /** OVS's defaults: CPUs/4 + 1 threads (at most {@value #MAX_DEFAULT_THREADS}), 10 s, 200 000, 500 ms. */
    public static RevalidatorConfig defaults() {
        return new RevalidatorConfig(defaultThreads(Runtime.getRuntime().availableProcessors()),
                DEFAULT_MAX_IDLE_MS, DEFAULT_FLOW_LIMIT, DEFAULT_MAX_REVALIDATOR_MS);
    }

    /** The default thread count for {@code cpus} CPUs: {@code cpus / 4 + 1}, capped. */
    public static int defaultThreads(int cpus) {
        return Math.min(MAX_DEFAULT_THREADS, Math.max(1, cpus) / 4 + 1);
    }

    /** Time between two cycles when nothing wakes the leader earlier. */
    public long intervalMs() {
        return Math.min(maxIdleMs, maxRevalidatorMs);
    }

    public RevalidatorConfig withThreads(int n) {
        return new RevalidatorConfig(n, maxIdleMs, flowLimit, maxRevalidatorMs);
    }

    public RevalidatorConfig withMaxIdleMs(long ms) {
        return new RevalidatorConfig(threads, ms, flowLimit, maxRevalidatorMs);
    }

    public RevalidatorConfig withFlowLimit(int limit) {
        return new RevalidatorConfig(threads, maxIdleMs, limit, maxRevalidatorMs);
    }

    public RevalidatorConfig withMaxRevalidatorMs(long ms) {
        return new RevalidatorConfig(threads, maxIdleMs, flowLimit, ms);
    }
}
