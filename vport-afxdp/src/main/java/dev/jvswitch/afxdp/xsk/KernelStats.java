package dev.jvswitch.afxdp.xsk;

import static dev.jvswitch.pmd.netdev.sys.Syscalls.LIBC;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;

import dev.jvswitch.afxdp.sys.Native;
import dev.jvswitch.pmd.netdev.sys.Scratch;
import dev.jvswitch.pmd.netdev.QueueCounters;
import dev.jvswitch.pmd.netdev.sys.Syscalls;

/**
 * Reads a socket's {@code XDP_STATISTICS} (running totals since the socket was made, unlike
 * AF_PACKET's, which reset when read) and adds what grew since the last read to the queue's
 * counters, with a scratch buffer made once so that a read allocates nothing.
 *
 * <pre>
 *   struct xdp_statistics { u64 rx_dropped, rx_invalid_descs, tx_invalid_descs, rx_ring_full,
 *                           rx_fill_ring_empty_descs, tx_ring_empty_descs; }
 * </pre>
 *
 * <p><b>Thread-safety:</b> one per socket, used by whoever holds the rx queue's guard.
 */
final class KernelStats {
    private static final int BYTES = 48;
    private static final int RX_DROPPED = 0;
    private static final int RX_INVALID = 8;
    private static final int TX_INVALID = 16;
    private static final int RX_RING_FULL = 24;
    private static final int RX_FILL_EMPTY = 32;

    private final ByteBuffer scratch = Scratch.direct(BYTES + 8);
    private final long scratchAddress = Scratch.address(scratch);
    private long rxDropped;
    private long rxInvalid;
    private long txInvalid;
    private long rxRingFull;
    private long rxFillEmpty;

    /** One system call; adds the growth since the last call. Nothing when the socket is gone. */
    void collect(int fd, QueueCounters counters, XskRxCounters xsk) {
        if (fd < 0) {
            return;
        }
        scratch.putInt(BYTES, BYTES);
        int rc = LIBC.getsockopt(fd, Native.SOL_XDP, Native.XDP_STATISTICS, scratchAddress, scratchAddress + BYTES);
        Reference.reachabilityFence(scratch);
        if (rc != 0) {
            return;
        }
        long dropped = grow(RX_DROPPED, rxDropped);
        rxDropped += dropped;
        long invalid = grow(RX_INVALID, rxInvalid);
        rxInvalid += invalid;
        long txBad = grow(TX_INVALID, txInvalid);
        txInvalid += txBad;
        long full = grow(RX_RING_FULL, rxRingFull);
        rxRingFull += full;
        long fillEmpty = grow(RX_FILL_EMPTY, rxFillEmpty);
        rxFillEmpty += fillEmpty;
        if ((dropped | full) != 0) {
            counters.add(QueueCounters.DROPPED, dropped + full);
            // The kernel counts one failed fill ring read per frame it could not place: those of
            // its drops were for want of a frame, i.e. of an mbuf.
            counters.add(QueueCounters.NO_MBUF, Math.min(dropped, fillEmpty));
            xsk.add(XskRxCounters.KERNEL_NO_FRAME, dropped);
            xsk.add(XskRxCounters.KERNEL_RING_FULL, full);
        }
        if ((invalid | txBad) != 0) {
            counters.add(QueueCounters.ERRORS, invalid);
            xsk.add(XskRxCounters.KERNEL_INVALID_FILL, invalid);
            xsk.add(XskRxCounters.KERNEL_INVALID_TX, txBad);
        }
    }

    /** How much the total at {@code offset} grew past {@code last}; never negative. */
    private long grow(int offset, long last) {
        return Math.max(0, scratch.getLong(offset) - last);
    }
}
