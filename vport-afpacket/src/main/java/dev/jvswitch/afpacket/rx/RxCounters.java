package dev.jvswitch.afpacket.rx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * AF_PACKET receive counters beyond {@link dev.jvswitch.pmd.netdev.QueueCounters}'s: drops the
 * kernel reported (already included in the queue's rx drops), checksums completed, and outgoing
 * frames skipped.
 *
 * <p><b>Thread-safety:</b> as {@code QueueCounters}: one writer (the queue's PMD) does a plain
 * read and an opaque write, readers do opaque reads.
 */
public final class RxCounters {
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
    private static final int PAD = 8;

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
    private final long[] slots = new long[PAD + COUNT + PAD];

    /** Adds {@code delta} to counter {@code id}; owner thread only. */
    public void add(int id, long delta) {
        int i = PAD + id;
        SLOTS.setOpaque(slots, i, slots[i] + delta);
    }

    /** Reads counter {@code id} from any thread. */
    public long get(int id) {
        return (long) SLOTS.getOpaque(slots, PAD + id);
    }
}
