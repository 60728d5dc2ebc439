package dev.jvswitch.afxdp.xsk;

import dev.jvswitch.pmd.netdev.SingleWriterCounters;

/**
 * AF_XDP receive counters beyond {@link dev.jvswitch.pmd.netdev.QueueCounters}'s, one block per rx
 * queue (they outlive the queue's sockets). The kernel's own counts ({@code XDP_STATISTICS}) are
 * added as they grow; the drops among them are in the queue's rx drops too.
 *
 * <p><b>Thread-safety:</b> as {@code QueueCounters}: one writer at a time (whoever holds the
 * queue's guard: its PMD, or the control thread retiring a socket; the guard orders them), plain
 * read and opaque write; readers do opaque reads.
 */
public final class XskRxCounters extends SingleWriterCounters {
    /** Descriptors naming no frame this queue gave the kernel, or a length outside the frame: dropped unread. */
    public static final int BAD_DESCS = 0;
    /** Frames the fill ring went without after a refill because the pool had no mbuf (not drops by themselves). */
    public static final int FILL_SHORTFALL = 1;
    /** Frames the kernel dropped for want of a frame in the fill ring (UMEM exhausted) or of room in one. */
    public static final int KERNEL_NO_FRAME = 2;
    /** Frames the kernel dropped because the rx ring was full. */
    public static final int KERNEL_RING_FULL = 3;
    /** Fill ring addresses the kernel refused as invalid. */
    public static final int KERNEL_INVALID_FILL = 4;
    /** Tx descriptors the kernel refused as invalid (read with the rx side's statistics). */
    public static final int KERNEL_INVALID_TX = 5;
    /** Frames whose TCP/UDP checksum a local sender left to offload and the port finished. */
    public static final int CSUM_COMPLETED = 6;
    private static final int COUNT = 7;

    public XskRxCounters() {
        super(COUNT);
    }
}
