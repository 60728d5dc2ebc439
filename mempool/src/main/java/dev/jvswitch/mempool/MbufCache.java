package dev.jvswitch.mempool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A thread's private stack of free mbufs in front of the pool's shared ring (DPDK's per-lcore
 * mempool cache).
 *
 * <p>Gets pop from the stack and refill it from the ring with one bulk of {@code size} mbufs
 * when it runs dry; puts push onto it and, once it holds more than 1.5 × {@code size}, spill
 * back down to {@code size}. With the cache warm, a get or put is an array access and a flag
 * write.
 *
 * <p>Mbufs from a different pool may be put here: they go straight back to their own pool's ring
 * (a PMD forwards between ports that may use different pools).
 *
 * <p><b>Thread-safety:</b> single owner. The owner writes {@code count} and publishes it with
 * an opaque store after every change; the pool's accounting reads it with an opaque load. No
 * other field is read by another thread.
 */
public final class MbufCache {
    private static final VarHandle PUBLISHED_COUNT;
    private static final VarHandle GET_FAILURES;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PUBLISHED_COUNT = lookup.findVarHandle(MbufCache.class, "publishedCount", int.class);
            GET_FAILURES = lookup.findVarHandle(MbufCache.class, "getFailures", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MbufPool pool;
    private final int size;
    private final int flushThreshold;
    private final Mbuf[] stack;
    private int count;
    @SuppressWarnings("unused") // accessed through PUBLISHED_COUNT
    private int publishedCount;
    @SuppressWarnings("unused") // accessed through GET_FAILURES
    private long getFailures;

    MbufCache(MbufPool pool, int size) {
        this.pool = pool;
        this.size = size;
        this.flushThreshold = size + size / 2;
        this.stack = new Mbuf[flushThreshold + PacketBatch.MAX_SIZE + 1];
    }

    public MbufPool pool() {
        return pool;
    }

    /** Mbufs the cache holds right now (owner thread only). */
    public int count() {
        return count;
    }

    /** Takes one mbuf, or returns {@code null} when the cache and the pool are both empty. */
    public Mbuf get() {
        if (count == 0 && refill(1) == 0) {
            countFailure();
            return null;
        }
        Mbuf m = stack[--count];
        stack[count] = null;
        publish();
        m.onTake();
        return m;
    }

    /**
     * Takes up to {@code n} mbufs into {@code dst[offset..]}.
     *
     * @return how many were taken; fewer than {@code n} only when the pool is exhausted
     */
    public int getBulk(Mbuf[] dst, int offset, int n) {
        if (count < n) {
            refill(n);
        }
        int got = Math.min(n, count);
        for (int i = 0; i < got; i++) {
            Mbuf m = stack[--count];
            stack[count] = null;
            m.onTake();
            dst[offset + i] = m;
        }
        publish();
        if (got < n) {
            countFailure();
        }
        return got;
    }

    /** Gives one mbuf back. */
    public void put(Mbuf m) {
        if (stash(m)) {
            publish();
        }
    }

    /** Gives back every mbuf in {@code batch} and empties it; publishes the count once. */
    public void putAll(PacketBatch batch) {
        int n = batch.size();
        Mbuf[] mbufs = batch.array();
        boolean changed = false;
        for (int i = 0; i < n; i++) {
            changed |= stash(mbufs[i]);
        }
        batch.clear();
        if (changed) {
            publish();
        }
    }

    /** Takes {@code m} back; returns whether this cache's count changed. */
    private boolean stash(Mbuf m) {
        if (m.pool() != pool) {
            m.pool().put(m);
            return false;
        }
        m.onReturn();
        if (size == 0) {
            pool.offerRing(m);
            return false;
        }
        stack[count++] = m;
        if (count > flushThreshold) {
            spill(size);
        }
        return true;
    }

    /** Returns every cached mbuf to the ring (before the owner thread stops). */
    public void flush() {
        spill(0);
        publish();
    }

    long getFailures() {
        return (long) GET_FAILURES.getOpaque(this);
    }

    int publishedCount() {
        return (int) PUBLISHED_COUNT.getOpaque(this);
    }

    private int refill(int atLeast) {
        int want = Math.max(size, atLeast);
        want = Math.min(want, stack.length - count);
        int got = pool.pollRing(stack, count, want);
        count += got;
        return got;
    }

    private void spill(int keep) {
        while (count > keep) {
            Mbuf m = stack[--count];
            stack[count] = null;
            pool.offerRing(m);
        }
    }

    private void publish() {
        PUBLISHED_COUNT.setOpaque(this, count);
    }

    private void countFailure() {
        GET_FAILURES.setOpaque(this, (long) GET_FAILURES.getOpaque(this) + 1);
    }
}
