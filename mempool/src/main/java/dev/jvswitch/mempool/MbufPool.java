package dev.jvswitch.mempool;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.jctools.queues.MpmcArrayQueue;

/**
 * A fixed set of mbufs carved out of one off-heap arena, handed out and taken back without
 * allocating, locking or blocking (DPDK's {@code rte_mempool}).
 *
 * <p><b>Layers.</b> Free mbufs live in a shared lock-free MPMC ring. Each thread that moves many
 * packets (a PMD, a port's I/O thread) takes a private {@link MbufCache} from {@link #newCache()},
 * which serves gets and puts from a thread-local array and touches the ring only in bulk when it
 * runs empty or overfull, exactly as DPDK's per-lcore cache does. Threads that free an odd mbuf
 * now and then (control, tests) use {@link #get()} and {@link #put(Mbuf)} on the ring directly.
 *
 * <p><b>Exhaustion</b> is an ordinary outcome: {@code get} returns {@code null} and bulk gets
 * return fewer mbufs than asked, and a failure counter counts it. Nothing on these paths throws
 * or blocks. Returning the same mbuf twice throws, because it is always a bug.
 *
 * <p><b>Accounting.</b> {@link #available()} and {@link #inUse()} add up the ring and every
 * cache's published count; they are exact when no thread is moving mbufs and a close estimate
 * otherwise. {@link #leakCount()} and {@link #checkNoLeaks()} inspect every mbuf's free flag and
 * are meant for a quiescent pool (after a test, at shutdown).
 *
 * <p><b>Thread-safety:</b> {@link #get}, {@link #put}, {@link #getBulk}, {@link #newCache} and
 * the accounting methods may be called from any thread. A hand-off through the ring is a release
 * (offer) paired with an acquire (poll), so whatever the previous owner wrote into an mbuf is
 * visible to the next. {@link #close()} must be called once, after every user has stopped.
 */
public final class MbufPool implements AutoCloseable {
    private final MbufPoolConfig config;
    private final MbufArena arena;
    // The mbufs' tunnel option slots (TunnelOptions.CAPACITY bytes each), apart from the packet
    // slots so that the packet arena (an AF_XDP UMEM) keeps its layout.
    private final MbufArena optionsArena;
    private final Mbuf[] mbufs;
    private final int slotBytes;
    private final MpmcArrayQueue<Mbuf> ring;
    private final CopyOnWriteArrayList<MbufCache> caches = new CopyOnWriteArrayList<>();
    private final AtomicLong ringGetFailures = new AtomicLong();
    private volatile boolean closed;

    private MbufPool(MbufPoolConfig config) {
        this.config = config;
        this.slotBytes = config.slotBytes();
        this.arena = MbufArena.allocate(config.name(), (long) slotBytes * config.mbufCount(), config.hugepageDir());
        this.optionsArena = MbufArena.allocate(config.name() + "-tunopts",
                (long) TunnelOptions.CAPACITY * config.mbufCount(), null);
        this.mbufs = new Mbuf[config.mbufCount()];
        this.ring = new MpmcArrayQueue<>(Math.max(2, config.mbufCount()));
        for (int i = 0; i < mbufs.length; i++) {
            Mbuf m = new Mbuf(this, i, arena.address() + (long) i * slotBytes, slotBytes, config.headroomBytes(),
                    optionsArena.address() + (long) i * TunnelOptions.CAPACITY);
            mbufs[i] = m;
            if (!ring.offer(m)) {
                throw new IllegalStateException("mempool '" + config.name() + "': ring smaller than the pool");
            }
        }
    }

    /** Allocates the arena and every mbuf in it; all mbufs start free. */
    public static MbufPool create(MbufPoolConfig config) {
        return new MbufPool(config);
    }

    public String name() {
        return config.name();
    }

    public MbufPoolConfig config() {
        return config;
    }

    /** Number of mbufs in the pool. */
    public int capacity() {
        return mbufs.length;
    }

    /** Bytes between one slot and the next (headroom + data room, rounded to a cache line). */
    public int slotBytes() {
        return slotBytes;
    }

    public boolean hugepages() {
        return arena.hugepages();
    }

    /**
     * Address of the pool's memory: one range of {@link #memoryBytes()} bytes, page-aligned, in
     * which mbuf {@code i}'s slot starts at {@code memoryAddress() + i * slotBytes()}. For a
     * device that shares the memory (an AF_XDP UMEM); it stays valid until {@link #close()}.
     */
    public long memoryAddress() {
        return arena.address();
    }

    /** Length of the range {@link #memoryAddress()} starts: {@code capacity() * slotBytes()}. */
    public long memoryBytes() {
        return (long) slotBytes * mbufs.length;
    }

    /** The mbuf with the given slot index. */
    public Mbuf mbuf(int index) {
        return mbufs[index];
    }

    /** A private cache for the calling thread; give it back with {@link #releaseCache}. */
    public MbufCache newCache() {
        MbufCache cache = new MbufCache(this, config.cacheSize());
        caches.add(cache);
        return cache;
    }

    /** Flushes the cache's mbufs back to the ring and forgets it. Call from the cache's owner. */
    public void releaseCache(MbufCache cache) {
        cache.flush();
        caches.remove(cache);
    }

    /** Takes one mbuf from the shared ring, or returns {@code null} when the pool is exhausted. */
    public Mbuf get() {
        Mbuf m = ring.poll();
        if (m == null) {
            ringGetFailures.incrementAndGet();
            return null;
        }
        m.onTake();
        return m;
    }

    /**
     * Takes up to {@code count} mbufs from the shared ring into {@code dst[offset..]}.
     *
     * @return how many were taken; fewer than asked (possibly 0) when the pool runs out
     */
    public int getBulk(Mbuf[] dst, int offset, int count) {
        int got = pollRing(dst, offset, count);
        for (int i = 0; i < got; i++) {
            dst[offset + i].onTake();
        }
        if (got < count) {
            ringGetFailures.incrementAndGet();
        }
        return got;
    }

    /** Returns one mbuf to the shared ring. */
    public void put(Mbuf m) {
        m.onReturn();
        offerRing(m);
    }

    /** Polls free mbufs off the ring without marking them taken (for caches). */
    int pollRing(Mbuf[] dst, int offset, int count) {
        int got = 0;
        while (got < count) {
            Mbuf m = ring.poll();
            if (m == null) {
                break;
            }
            dst[offset + got++] = m;
        }
        return got;
    }

    /** Puts an already-returned mbuf back on the ring (for caches). */
    void offerRing(Mbuf m) {
        if (m.pool() != this) {
            throw new IllegalArgumentException(m + " does not belong to pool '" + name() + "'");
        }
        // The ring is sized to hold every mbuf, so an offer fails only on a double free, which
        // onReturn already caught.
        if (!ring.offer(m)) {
            throw new IllegalStateException("mempool '" + name() + "': ring full, mbuf " + m.index() + " freed twice");
        }
    }

    /** Free mbufs: those in the ring plus those sitting in per-thread caches. */
    public int available() {
        long total = ring.size();
        for (MbufCache cache : caches) {
            total += cache.publishedCount();
        }
        return (int) Math.min(total, mbufs.length);
    }

    /** Mbufs currently owned by someone: {@code capacity() - available()}. */
    public int inUse() {
        return mbufs.length - available();
    }

    /** Times a get found the pool (or a cache and the pool behind it) empty. */
    public long getFailures() {
        long total = ringGetFailures.get();
        for (MbufCache cache : caches) {
            total += cache.getFailures();
        }
        return total;
    }

    /**
     * Counts the mbufs whose owner never gave them back. Exact only when nobody is moving mbufs.
     */
    public int leakCount() {
        int leaked = 0;
        for (Mbuf m : mbufs) {
            if (!m.isFree()) {
                leaked++;
            }
        }
        return leaked;
    }

    /**
     * A one-line report naming how many mbufs never came back and the first few of them, or
     * {@code null} when every mbuf is free.
     */
    public String leakReport() {
        int leaked = leakCount();
        if (leaked == 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder()
                .append("mempool '").append(name()).append("': ").append(leaked).append(" of ").append(mbufs.length)
                .append(" mbufs never returned (first: ");
        int shown = 0;
        for (Mbuf m : mbufs) {
            if (!m.isFree()) {
                if (shown > 0) {
                    sb.append(", ");
                }
                sb.append('#').append(m.index()).append(" len=").append(m.length()).append(" port=").append(m.inPort());
                if (++shown == 8) {
                    break;
                }
            }
        }
        return sb.append(')').toString();
    }

    /** Throws {@link IllegalStateException} with {@link #leakReport()} if any mbuf is missing. */
    public void checkNoLeaks() {
        String report = leakReport();
        if (report != null) {
            throw new IllegalStateException(report);
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Frees the arena. Every user must have stopped; mbufs must not be touched afterwards. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            arena.close();
            optionsArena.close();
        }
    }

    @Override
    public String toString() {
        return "MbufPool[" + name() + ", " + mbufs.length + " x " + slotBytes + " B"
                + (hugepages() ? ", hugepages" : "") + "]";
    }
}
