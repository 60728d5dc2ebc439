package dev.jvswitch.afpacket.rx;

import static dev.jvswitch.pmd.netdev.sys.Syscalls.LIBC;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.afpacket.sys.Native;
import dev.jvswitch.pmd.netdev.QueueCounters;
import dev.jvswitch.pmd.netdev.sys.Syscalls;

/**
 * Reads the kernel's drop count of a receive socket ({@code PACKET_STATISTICS}, which resets
 * when read) into the queue's rx drops, with a scratch buffer made once so the read allocates
 * nothing. The {@code tpacket_stats_v3} layout (packets, drops, freeze count) is a superset of
 * V2's {@code tpacket_stats}; the kernel fills what the socket's version has.
 *
 * <p><b>Thread-safety:</b> one per ring, used by the ring's owner only.
 */
final class KernelDrops {
    private static final int TPACKET_STATS_V3_BYTES = 12;

    private final ByteBuffer scratch = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    private final long scratchAddress = new UnsafeBuffer(scratch).addressOffset();

    /** One system call; adds the drops since the last call to both counters. */
    void collect(int fd, QueueCounters counters, RxCounters rxCounters) {
        scratch.putInt(TPACKET_STATS_V3_BYTES, TPACKET_STATS_V3_BYTES);
        int rc = LIBC.getsockopt(fd, Native.SOL_PACKET, Native.PACKET_STATISTICS, scratchAddress,
                scratchAddress + TPACKET_STATS_V3_BYTES);
        Reference.reachabilityFence(scratch);
        if (rc == 0) {
            long drops = scratch.getInt(4) & 0xffffffffL; // tp_packets, tp_drops[, tp_freeze_q_cnt]
            if (drops > 0) {
                counters.add(QueueCounters.DROPPED, drops);
                rxCounters.add(RxCounters.KERNEL_DROPS, drops);
            }
        }
    }
}
