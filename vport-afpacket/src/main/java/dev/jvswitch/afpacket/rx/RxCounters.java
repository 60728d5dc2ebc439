package dev.jvswitch.afpacket.rx;

import dev.jvswitch.pmd.netdev.SingleWriterCounters;

/**
 * AF_PACKET receive counters beyond {@link dev.jvswitch.pmd.netdev.QueueCounters}'s: drops the
 * kernel reported (already included in the queue's rx drops), checksums completed, and outgoing
 * frames skipped.
 *
 * <p><b>Thread-safety:</b> as {@code QueueCounters}: one writer (the queue's PMD) does a plain
 * read and an opaque write, readers do opaque reads.
 */
public final class RxCounters extends SingleWriterCounters {
    /** Frames the kernel dropped because the ring was full ({@code PACKET_STATISTICS}). */
    public static final int KERNEL_DROPS = 0;
    /** Frames whose TCP/UDP checksum a local sender left to offload and we completed. */
    public static final int CSUM_COMPLETED = 1;
    /** Frames marked checksum-not-ready that are not TCP/UDP over IPv4/IPv6, passed on as they are. */
    public static final int CSUM_UNFIXED = 2;
    /** Frames this host sent out of the interface, seen on kernels without PACKET_IGNORE_OUTGOING. */
    public static final int OUTGOING_SKIPPED = 3;
    /** Blocks abandoned because a frame header pointed outside its block (never seen in practice). */
    public static final int BAD_BLOCKS = 4;
    private static final int COUNT = 5;

    public RxCounters() {
        super(COUNT);
    }
}
