package dev.jvswitch.afxdp.xsk;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.jvswitch.afxdp.sys.Native;
import dev.jvswitch.pmd.netdev.sys.Where;
import dev.jvswitch.afxdp.sys.XdpSockets;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.sys.Syscalls;

/**
 * One XDP socket bound to one queue of an interface, with the pool's memory as its UMEM and its
 * four rings mapped: the receive half ({@link XskRx}: fill and rx rings) and, for a queue that
 * also transmits, the transmit half ({@link XskTx}: tx and completion rings). The two halves have
 * different owners (the PMD polling the rx queue, the sender on the tx queue) and share nothing
 * but the file descriptor.
 *
 * <p><b>Opening</b> (control thread): socket, {@code XDP_UMEM_REG} over the whole pool, ring
 * sizes, {@code XDP_MMAP_OFFSETS}, the mappings, then {@code bind} in the first of the modes asked
 * for that the driver takes; a bind refused with {@code EBUSY} (the queue's previous socket is
 * still being freed: the kernel does that asynchronously) is retried with a growing pause, about
 * a second in all. A failed mode leaves nothing behind: the next is tried on a fresh socket.
 * The caller then gives the fill ring its frames ({@link XskRx#refill}).
 *
 * <p><b>Closing</b> ({@link #close}, by whoever retires the socket, holding both halves): unmap
 * every ring first (a mapping keeps the socket's file alive), then close the descriptor, which
 * unbinds the socket and waits for the kernel's receive path to leave it; only then
 * {@link #reclaim} gives the frames still in the kernel's rings back to the pool.
 *
 * <p><b>Thread-safety:</b> see the halves; {@link #close} and {@link #reclaim} run on one thread
 * that owns both.
 */
public final class XskSocket implements AutoCloseable {
    /** Pauses between binds refused with EBUSY: 1, 2, 4 ... 256 ms. */
    static final int BIND_ATTEMPTS = 10;

    private final Where where;
    private final int fd;
    private final int queue;
    private final boolean zeroCopy;
    private final XskRx rx;
    private final XskTx tx;
    private final XskRing[] rings;
    private final int bindRetries;
    private boolean closed;

    private XskSocket(Where where, int fd, int queue, boolean zeroCopy, XskRx rx, XskTx tx, XskRing[] rings,
            int bindRetries) {
        this.where = where;
        this.fd = fd;
        this.queue = queue;
        this.zeroCopy = zeroCopy;
        this.rx = rx;
        this.tx = tx;
        this.rings = rings;
        this.bindRetries = bindRetries;
    }

    /** How to bind: flags to try in order ({@code XDP_ZEROCOPY}, {@code XDP_COPY}). */
    public record Bind(List<Integer> modes, boolean needWakeup) {
    }

    /**
     * Opens a socket on queue {@code queue} of {@code ifindex}.
     *
     * @param rxEntries entries of the fill and rx rings (a power of two)
     * @param txEntries entries of the tx and completion rings, or 0 for a queue that only receives
     * @throws NetdevException one line naming the port, the interface, the call and errno, or (when
     *         every bind mode was refused) the last refusal
     */
    public static XskSocket open(Where where, Umem umem, int ifindex, int queue, int rxEntries, int txEntries,
            Bind bind) throws NetdevException {
        NetdevException last = null;
        for (int mode : bind.modes()) {
            try {
                return openIn(where, umem, ifindex, queue, rxEntries, txEntries, mode, bind.needWakeup());
            } catch (BindRefused e) {
                last = e.exception;
            }
        }
        throw last;
    }

    /** A bind the driver refused: the caller may try another mode. */
    private static final class BindRefused extends Exception {
        private static final long serialVersionUID = 1L;
        final transient NetdevException exception;

        BindRefused(NetdevException exception) {
            super(exception.getMessage(), null, false, false);
            this.exception = exception;
        }
    }

    private static XskSocket openIn(Where where, Umem umem, int ifindex, int queue, int rxEntries, int txEntries,
            int mode, boolean needWakeup) throws NetdevException, BindRefused {
        int fd = XdpSockets.open(where);
        XskRing[] rings = new XskRing[4];
        boolean ok = false;
        try {
            XdpSockets.registerUmem(fd, umem.address(), umem.bytes(), umem.frameBytes(), where);
            XdpSockets.setRingSize(fd, Native.XDP_UMEM_FILL_RING, rxEntries, "XDP_UMEM_FILL_RING", where);
            XdpSockets.setRingSize(fd, Native.XDP_RX_RING, rxEntries, "XDP_RX_RING", where);
            // Every socket needs a completion ring, even one that never sends.
            XdpSockets.setRingSize(fd, Native.XDP_UMEM_COMPLETION_RING, Math.max(txEntries, 64),
                    "XDP_UMEM_COMPLETION_RING", where);
            if (txEntries > 0) {
                XdpSockets.setRingSize(fd, Native.XDP_TX_RING, txEntries, "XDP_TX_RING", where);
                XdpSockets.setSendBuffer(fd, txEntries * umem.frameBytes());
            }
            XdpSockets.MmapOffsets off = XdpSockets.mmapOffsets(fd, where);
            ProducerRing fill = map(fd, off.fill(), rxEntries, 8, Native.XDP_UMEM_PGOFF_FILL_RING, "fill", where, true);
            rings[0] = fill;
            ConsumerRing rxRing = map(fd, off.rx(), rxEntries, 16, Native.XDP_PGOFF_RX_RING, "rx", where, false);
            rings[1] = rxRing;
            ProducerRing txRing = null;
            ConsumerRing completion = null;
            if (txEntries > 0) {
                txRing = map(fd, off.tx(), txEntries, 16, Native.XDP_PGOFF_TX_RING, "tx", where, true);
                rings[2] = txRing;
                completion = map(fd, off.completion(), txEntries, 8, Native.XDP_UMEM_PGOFF_COMPLETION_RING,
                        "completion", where, false);
                rings[3] = completion;
            }
            int flags = mode | (needWakeup ? Native.XDP_USE_NEED_WAKEUP : 0);
            int retries = bindWithRetries(fd, ifindex, queue, flags, where);
            XskRx rx = new XskRx(umem, fill, rxRing, fd, needWakeup);
            XskTx tx = txRing == null ? null : new XskTx(umem, txRing, completion, fd, needWakeup);
            XskSocket s = new XskSocket(where, fd, queue, XdpSockets.zeroCopy(fd), rx, tx, rings, retries);
            ok = true;
            return s;
        } finally {
            if (!ok) {
                unmapAll(rings);
                XdpSockets.closeQuietly(fd);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <R extends XskRing> R map(int fd, XdpSockets.RingOffsets off, int entries, int descBytes, long pgoff,
            String name, Where where, boolean producer) throws NetdevException {
        long bytes = XskRing.mappedBytes(off.desc(), entries, descBytes);
        long address = XdpSockets.mmap(fd, bytes, pgoff, name, where);
        try {
            XskRing r;
            if (producer) {
                r = new ProducerRing(address, bytes, off.producer(), off.consumer(), off.flags(), off.desc(), entries,
                        descBytes);
            } else {
                r = new ConsumerRing(address, bytes, off.producer(), off.consumer(), off.flags(), off.desc(), entries,
                        descBytes);
            }
            return (R) r;
        } catch (IllegalArgumentException e) {
            XdpSockets.unmapQuietly(address, bytes);
            throw where.problem("the kernel's " + name + " ring layout does not fit its mapping: " + e.getMessage());
        }
    }

    /** Binds, retrying EBUSY with pauses of 1, 2, 4 ... ms; returns the retries it took. */
    private static int bindWithRetries(int fd, int ifindex, int queue, int flags, Where where)
            throws NetdevException, BindRefused {
        String call = "bind(AF_XDP, queue " + queue + ", " + modeName(flags) + ")";
        for (int attempt = 0; ; attempt++) {
            int err = XdpSockets.bind(fd, ifindex, queue, flags);
            if (err == 0) {
                return attempt;
            }
            if (err == Syscalls.EBUSY && attempt + 1 < BIND_ATTEMPTS) {
                pause(1L << attempt);
                continue;
            }
            boolean zc = (flags & Native.XDP_ZEROCOPY) != 0;
            if (err == Syscalls.EOPNOTSUPP || (zc && err == Syscalls.EINVAL)) {
                throw new BindRefused(where.fail(call, err, zc
                        ? "the driver has no zero-copy AF_XDP (veth never has); use xdp-mode native or best-effort"
                        : "the driver refuses AF_XDP sockets"));
            }
            if (err == Syscalls.EINVAL) {
                throw where.fail(call, err, "the interface may have no queue " + queue + " (see ethtool -l); lower n_rxq");
            }
            if (err == Syscalls.EBUSY) {
                throw where.fail(call, err, "another AF_XDP socket holds the queue");
            }
            throw where.fail(call, err);
        }
    }

    private static String modeName(int flags) {
        return (flags & Native.XDP_ZEROCOPY) != 0 ? "XDP_ZEROCOPY" : "XDP_COPY";
    }

    private static void pause(long ms) throws NetdevException {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetdevException("interrupted while waiting to bind an AF_XDP socket");
        }
    }

    private static void unmapAll(XskRing[] rings) {
        for (int i = 0; i < rings.length; i++) {
            if (rings[i] != null) {
                XdpSockets.unmapQuietly(rings[i].address(), rings[i].mappedBytes());
                rings[i] = null;
            }
        }
    }

    public int fd() {
        return fd;
    }

    public int queue() {
        return queue;
    }

    /** Whether the kernel runs the socket in zero-copy mode. */
    public boolean zeroCopy() {
        return zeroCopy;
    }

    /** Binds refused with EBUSY before one succeeded. */
    public int bindRetries() {
        return bindRetries;
    }

    public XskRx rx() {
        return rx;
    }

    /** The transmit half, or {@code null} for a socket that only receives. */
    public XskTx tx() {
        return tx;
    }

    /** Unmaps the rings and closes the socket: the kernel touches none of its frames afterwards. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            unmapAll(rings);
            XdpSockets.closeQuietly(fd);
        }
    }

    /** After {@link #close}: gives every frame the kernel still had back to the pool; returns how many. */
    public int reclaim() {
        if (!closed) {
            throw new IllegalStateException("reclaiming the frames of an open socket");
        }
        return rx.reclaim() + (tx == null ? 0 : tx.reclaim());
    }

    @Override
    public String toString() {
        return "XskSocket[" + where.ifname() + " queue " + queue + ", fd " + fd + (zeroCopy ? ", zero-copy" : ", copy")
                + "]";
    }
}
