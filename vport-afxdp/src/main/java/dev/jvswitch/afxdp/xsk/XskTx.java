package dev.jvswitch.afxdp.xsk;

import static dev.jvswitch.pmd.netdev.sys.Syscalls.LIBC;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.QueueCounters;
import dev.jvswitch.pmd.netdev.sys.Syscalls;

/**
 * The transmit half of an XDP socket: its tx ring (frames to send) and completion ring (frames
 * the kernel is done with), over the pool's {@link Umem}. An mbuf of the pool is sent where it
 * lies (its descriptor points at its bytes); it stays the kernel's until the completion ring gives
 * its address back, and then returns to the pool. An mbuf of another pool is copied into one of
 * this pool first.
 *
 * <p>{@link #send} first takes in the completions waiting (so the ring and the pool get their
 * frames back at the pace frames go out), queues the batch, and kicks the kernel once with a
 * non-blocking {@code send} when it asks for it ({@code XDP_RING_NEED_WAKEUP}, always the case in
 * copy mode). In copy mode the kernel sends at most 32 frames per kick and stops early when the
 * socket's send buffer or the completion ring is full; then the completions are taken in and the
 * kick repeated, a bounded number of times.
 *
 * <p><b>Ownership.</b> {@code inFlight[f]} is true while frame {@code f} is in this socket's tx or
 * completion ring. A completion is honoured only for a frame in flight here; any other address is
 * counted ({@link XskTxCounters#BAD_COMPLETIONS}) and ignored, so no mbuf is ever freed twice.
 * {@link #reclaim} returns what is still in flight once the socket is closed.
 *
 * <p><b>Thread-safety:</b> one owner at a time: the sender holding the tx queue's guard, or the
 * control thread (which holds it) when it takes in the completions of an idle queue or retires
 * the socket.
 */
public final class XskTx {
    /** Kicks after the first when the kernel left frames in the ring. */
    static final int KICK_RETRIES = 2;
    private static final int COMPLETIONS_PER_READ = 64;

    /** What the last kick did. */
    public enum Kick {
        /** Nothing to say: sent, or left for the next kick. */
        OK,
        /** The device went down or away under the socket: the frames stay in the ring. */
        LINK_ERROR
    }

    private final Umem umem;
    private final ProducerRing tx;
    private final ConsumerRing completion;
    private final int fd;
    private final boolean wakeups;
    private final boolean[] inFlight;
    private int inFlightCount;
    private int lastErrno;
    private Kick lastKick = Kick.OK;

    /**
     * @param fd      the socket (for kicks), or -1 (rings over test memory: no kicks)
     * @param wakeups whether the socket was bound with {@code XDP_USE_NEED_WAKEUP}: then it is
     *                kicked only when it asks, else after every batch
     */
    public XskTx(Umem umem, ProducerRing tx, ConsumerRing completion, int fd, boolean wakeups) {
        this.umem = umem;
        this.tx = tx;
        this.completion = completion;
        this.fd = fd;
        this.wakeups = wakeups;
        this.inFlight = new boolean[umem.frames()];
    }

    /** Frames in the kernel's hands (tx or completion ring). */
    public int inFlight() {
        return inFlightCount;
    }

    /** errno of the last kick that failed for good, 0 if none. */
    public int lastErrno() {
        return lastErrno;
    }

    /**
     * Queues the frames of {@code batch} and kicks the kernel; takes ownership of every mbuf and
     * returns with the batch empty. Frames are dropped and counted, never sent truncated: shorter
     * than an Ethernet header ({@code ERRORS}), longer than {@code mtu} allows ({@code OVERSIZE}),
     * ring full ({@code QUEUE_FULL}), no mbuf to copy a foreign one into. Allocates nothing.
     *
     * @return frames handed to the kernel, or 0 with every frame counted as a link-down drop when
     *         the kick found the device gone ({@link #lastKick()} then says so)
     */
    public int send(PacketBatch batch, MbufCache cache, int mtu, QueueCounters counters, XskTxCounters xsk) {
        reap(cache, xsk);
        final int n = batch.size();
        final int free = tx.free(n);
        final MbufPool pool = umem.pool();
        int queued = 0;
        long bytes = 0;
        int runts = 0;
        int oversize = 0;
        int full = 0;
        int noMbuf = 0;
        for (int i = 0; i < n; i++) {
            Mbuf m = batch.get(i);
            final int length = m.length();
            if (length < FrameLimits.ETH_HEADER_BYTES) {
                runts++;
                cache.put(m);
                continue;
            }
            if (length > FrameLimits.txMaxLength(m, mtu)) {
                oversize++;
                cache.put(m);
                continue;
            }
            if (queued == free) {
                full++;
                cache.put(m);
                continue;
            }
            if (m.pool() != pool) {
                Mbuf own = cache.pool() == pool ? cache.get() : pool.get();
                if (own == null || !own.copyFrom(m.buffer(), m.dataOffset(), length)) {
                    if (own != null) {
                        oversize++;
                        cache.put(own);
                    } else {
                        noMbuf++;
                    }
                    cache.put(m);
                    continue;
                }
                cache.put(m);
                m = own;
                xsk.add(XskTxCounters.COPIED, 1);
            }
            inFlight[m.index()] = true;
            inFlightCount++;
            tx.putDesc(queued++, umem.dataAddress(m), length);
            bytes += length;
        }
        batch.clear();
        tx.submit(queued);
        Kick kick = kick(cache, xsk);
        int linkDown = 0;
        if (kick == Kick.LINK_ERROR) {
            // The frames stay in a ring that will be retired, never sent.
            linkDown = queued;
            queued = 0;
            bytes = 0;
        }
        if (queued > 0) {
            counters.add(QueueCounters.PACKETS, queued);
            counters.add(QueueCounters.BYTES, bytes);
        }
        int dropped = runts + oversize + full + noMbuf + linkDown;
        if (dropped > 0) {
            counters.add(QueueCounters.DROPPED, dropped);
            counters.add(QueueCounters.ERRORS, runts);
            counters.add(QueueCounters.OVERSIZE, oversize);
            counters.add(QueueCounters.QUEUE_FULL, full);
            counters.add(QueueCounters.NO_MBUF, noMbuf);
            counters.add(QueueCounters.LINK_DOWN, linkDown);
        }
        lastKick = kick;
        return queued;
    }

    /** What the last {@link #send}'s kick found. */
    public Kick lastKick() {
        return lastKick;
    }

    private Kick kick(MbufCache cache, XskTxCounters xsk) {
        if (fd < 0 || (wakeups && !tx.needsWakeup())) {
            return Kick.OK;
        }
        for (int attempt = 0; attempt <= KICK_RETRIES; attempt++) {
            long rc = LIBC.send(fd, 0L, 0L, Syscalls.MSG_DONTWAIT);
            int err = rc < 0 ? Syscalls.errno() : 0;
            if (err != 0 && !retryable(err)) {
                lastErrno = err;
                xsk.add(XskTxCounters.KICK_ERRORS, 1);
                return Syscalls.isLinkError(err) ? Kick.LINK_ERROR : Kick.OK;
            }
            if (tx.outstanding() == 0) {
                break;
            }
            // Stopped part-way (send buffer, completion ring or the 32-frame budget): make room.
            reap(cache, xsk);
        }
        return Kick.OK;
    }

    private static boolean retryable(int err) {
        return err == Syscalls.EAGAIN || err == Syscalls.EBUSY || err == Syscalls.ENOBUFS || err == Syscalls.EINTR;
    }

    /**
     * Takes in the completions waiting and returns their mbufs to {@code cache} (or straight to the
     * pool when {@code cache} is null: the control thread's way). Bounded by one ring's worth.
     *
     * @return frames returned
     */
    public int reap(MbufCache cache, XskTxCounters xsk) {
        int total = 0;
        int bad = 0;
        final MbufPool pool = umem.pool();
        while (total < completion.size()) {
            final int n = completion.available(COMPLETIONS_PER_READ);
            if (n == 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                final int frame = umem.frameOf(completion.address(i));
                if (frame < 0 || !inFlight[frame]) {
                    bad++;
                    continue;
                }
                inFlight[frame] = false;
                inFlightCount--;
                Mbuf m = umem.mbuf(frame);
                if (cache != null) {
                    cache.put(m);
                } else {
                    pool.put(m);
                }
            }
            completion.release(n);
            total += n;
        }
        if (bad > 0) {
            xsk.add(XskTxCounters.BAD_COMPLETIONS, bad);
        }
        return total - bad;
    }

    /**
     * Returns every frame still in flight to the pool. Only after the socket is closed, by whoever
     * retires it.
     *
     * @return frames returned
     */
    public int reclaim() {
        int n = 0;
        for (int f = 0; f < inFlight.length; f++) {
            if (inFlight[f]) {
                inFlight[f] = false;
                umem.pool().put(umem.mbuf(f));
                n++;
            }
        }
        inFlightCount = 0;
        return n;
    }
}
