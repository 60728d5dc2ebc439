package dev.jvswitch.afxdp.xsk;

import static dev.jvswitch.pmd.netdev.sys.Syscalls.LIBC;

import dev.jvswitch.afxdp.sys.Native;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.QueueCounters;
import dev.jvswitch.pmd.netdev.csum.ChecksumCompleter;
import dev.jvswitch.pmd.netdev.sys.Syscalls;

/**
 * The receive half of an XDP socket: its fill ring (empty frames handed to the kernel) and rx ring
 * (frames the kernel wrote), over the pool's {@link Umem}. A received frame is an mbuf already:
 * {@link #receive} checks the descriptor, tells the mbuf where its bytes are, finishes a TCP/UDP
 * checksum a local sender left to offload ({@link ChecksumCompleter#completeIfPartial}), and puts
 * it in the batch; then {@link #refill} hands the kernel as many fresh mbufs as frames came in.
 *
 * <p><b>Ownership.</b> {@code owned[f]} is true while frame {@code f} is in this socket's fill or
 * rx ring: set when the frame's mbuf goes into the fill ring, cleared when the rx ring gives it
 * back. A descriptor is used only if its address lies in the UMEM, names a frame owned here, and
 * its length stays inside that frame; anything else is counted ({@link XskRxCounters#BAD_DESCS})
 * and dropped without reading a byte, so whatever the kernel writes, no mbuf is handed out twice
 * or read outside its slot. {@link #reclaim} returns every frame still owned once the socket is
 * closed.
 *
 * <p><b>Thread-safety:</b> one owner at a time: the PMD holding the rx queue's guard, or the
 * control thread (which holds it) when the socket is made or retired.
 */
public final class XskRx {
    /** A refill waits until this many frames are missing (one pool bulk get per batch). */
    static final int REFILL_BATCH = PacketBatch.MAX_SIZE;
    /** Polls between two reads of the kernel's statistics (one system call). */
    static final int POLLS_PER_STATS_READ = 4096;
    private static final int REFILL_CHUNK = 64;

    private final Umem umem;
    private final ProducerRing fill;
    private final ConsumerRing rx;
    private final int fd;
    private final boolean wakeups;
    private final boolean[] owned;
    private final Mbuf[] scratch = new Mbuf[REFILL_CHUNK];
    private final KernelStats kernelStats = new KernelStats();
    private final int target;
    private int held;
    private int polls;

    /**
     * @param fd      the socket (for wake-ups and statistics), or -1 (rings over test memory)
     * @param wakeups whether the socket was bound with {@code XDP_USE_NEED_WAKEUP}
     */
    public XskRx(Umem umem, ProducerRing fill, ConsumerRing rx, int fd, boolean wakeups) {
        this.umem = umem;
        this.fill = fill;
        this.rx = rx;
        this.fd = fd;
        this.wakeups = wakeups;
        this.owned = new boolean[umem.frames()];
        // Never more frames out than the rx ring can return at once.
        this.target = Math.min(fill.size(), rx.size());
    }

    /** Frames in the kernel's hands (fill or rx ring). */
    public int held() {
        return held;
    }

    /**
     * Moves up to a batch of received frames into {@code batch} (which has room), then refills.
     * Frames dropped here (bad descriptor, runt, above the MTU) go back to {@code cache} and are
     * counted. Allocates nothing; no system call but, now and then, the statistics read and (for
     * a driver that sleeps) a wake-up.
     *
     * @return frames added to {@code batch}
     */
    public int receive(PacketBatch batch, MbufCache cache, int mtu, QueueCounters counters, XskRxCounters xsk) {
        final int n = rx.available(PacketBatch.MAX_SIZE - batch.size());
        int received = 0;
        long bytes = 0;
        int bad = 0;
        int runts = 0;
        int oversize = 0;
        int csumCompleted = 0;
        for (int i = 0; i < n; i++) {
            final long address = rx.address(i);
            final int frame = umem.frameOf(address);
            if (frame < 0 || !owned[frame]) {
                bad++;
                continue;
            }
            owned[frame] = false;
            held--;
            final Mbuf m = umem.mbuf(frame);
            final int length = rx.length(i);
            if ((rx.options(i) & Native.XDP_PKT_CONTD) != 0
                    || !m.placeData(umem.offsetInFrame(address), length)) {
                bad++;
                cache.put(m);
            } else if (length < FrameLimits.ETH_HEADER_BYTES) {
                runts++;
                cache.put(m);
            } else if (length > FrameLimits.rxMaxLength(m, mtu)) {
                oversize++;
                cache.put(m);
            } else {
                if (ChecksumCompleter.completeIfPartial(m)) {
                    csumCompleted++;
                }
                batch.add(m);
                received++;
                bytes += length;
            }
        }
        rx.release(n);
        refill(cache, xsk);
        if (received > 0) {
            counters.add(QueueCounters.PACKETS, received);
            counters.add(QueueCounters.BYTES, bytes);
            if (csumCompleted > 0) {
                xsk.add(XskRxCounters.CSUM_COMPLETED, csumCompleted);
            }
        }
        if ((bad | runts | oversize) != 0) {
            counters.add(QueueCounters.DROPPED, bad + runts + oversize);
            counters.add(QueueCounters.ERRORS, bad + runts);
            counters.add(QueueCounters.OVERSIZE, oversize);
            xsk.add(XskRxCounters.BAD_DESCS, bad);
        }
        if (n == 0 && wakeups && fd >= 0 && fill.needsWakeup()) {
            LIBC.recv(fd, 0L, 0L, Syscalls.MSG_DONTWAIT);
        }
        if (++polls == POLLS_PER_STATS_READ) {
            collectKernelStats(counters, xsk);
        }
        return received;
    }

    /**
     * Tops the fill ring up with mbufs from {@code cache} (or from the UMEM's pool, if the cache
     * serves another), once {@link #REFILL_BATCH} frames are missing or none is left. A pool that
     * runs dry leaves the ring short (counted once per refill); the kernel then drops what it
     * cannot place, and counts it.
     *
     * @return frames handed to the kernel
     */
    public int refill(MbufCache cache, XskRxCounters xsk) {
        int missing = target - held;
        if (missing <= 0 || (missing < REFILL_BATCH && held > 0)) {
            return 0;
        }
        int want = Math.min(missing, fill.free(missing));
        boolean ownCache = cache != null && cache.pool() == umem.pool();
        int posted = 0;
        while (posted < want) {
            int chunk = Math.min(scratch.length, want - posted);
            int got = ownCache ? cache.getBulk(scratch, 0, chunk) : umem.pool().getBulk(scratch, 0, chunk);
            for (int j = 0; j < got; j++) {
                Mbuf m = scratch[j];
                scratch[j] = null;
                int frame = m.index();
                owned[frame] = true;
                fill.putAddress(posted + j, umem.frameAddress(frame));
            }
            posted += got;
            if (got < chunk) {
                xsk.add(XskRxCounters.FILL_SHORTFALL, 1);
                break;
            }
        }
        fill.submit(posted);
        held += posted;
        return posted;
    }

    /** Adds what the kernel counted since the last read (drops for want of frames or ring room). */
    public void collectKernelStats(QueueCounters counters, XskRxCounters xsk) {
        polls = 0;
        kernelStats.collect(fd, counters, xsk);
    }

    /**
     * Returns every frame still in the kernel's hands to the pool. Only after the socket is
     * closed (the kernel writes no more frames), by whoever retires it.
     *
     * @return frames returned
     */
    public int reclaim() {
        int n = 0;
        for (int f = 0; f < owned.length; f++) {
            if (owned[f]) {
                owned[f] = false;
                umem.pool().put(umem.mbuf(f));
                n++;
            }
        }
        held = 0;
        return n;
    }
}
