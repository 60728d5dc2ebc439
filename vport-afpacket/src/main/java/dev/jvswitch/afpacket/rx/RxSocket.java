package dev.jvswitch.afpacket.rx;

import dev.jvswitch.afpacket.sys.Native;
import dev.jvswitch.afpacket.sys.PacketSockets;
import dev.jvswitch.pmd.netdev.sys.Where;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.sys.Syscalls;

/**
 * The set-up every receive ring shares, whatever its TPACKET version: socket, version, no
 * outgoing frames, ring, mmap, bind, fanout, promiscuous mode; undone if any step fails.
 *
 * @param fd          the socket
 * @param address     where the ring is mapped
 * @param fanoutGroup the group as {@code getsockopt(PACKET_FANOUT)} reports it, or {@link ReceiveRing#FANOUT_NONE}
 */
record RxSocket(int fd, long address, int fanoutGroup) {

    /** The shape of the ring to ask for ({@code tpacket_req} or {@code tpacket_req3}). */
    record Ring(int version, int blockSize, int blockCount, int frameSize, int retireTimeoutMs) {
        long bytes() {
            return (long) blockSize * blockCount;
        }
    }

    /** Runs on the control thread: makes system calls and small allocations. */
    static RxSocket open(Where where, int ifindex, Ring ring, int fanout, boolean promiscuous) throws NetdevException {
        int fd = PacketSockets.open(where);
        long address = 0L;
        boolean v3 = ring.version() == Native.TPACKET_V3;
        try {
            PacketSockets.setInt(fd, Native.SOL_PACKET, Native.PACKET_VERSION, ring.version(),
                    "PACKET_VERSION, " + (v3 ? "TPACKET_V3" : "TPACKET_V2"), where);
            // Frames this host sends out of the interface (our own tx, the host stack) are not
            // ingress traffic of the port. Kernels before 4.20 lack the option; the readers also
            // skip PACKET_OUTGOING frames for them.
            int err = PacketSockets.trySetInt(fd, Native.SOL_PACKET, Native.PACKET_IGNORE_OUTGOING, 1);
            if (err != 0 && err != Syscalls.ENOPROTOOPT) {
                throw where.fail("setsockopt(PACKET_IGNORE_OUTGOING)", err);
            }
            PacketSockets.setRing(fd, Native.PACKET_RX_RING, v3, ring.blockSize(), ring.blockCount(), ring.frameSize(),
                    ring.retireTimeoutMs(), where);
            address = PacketSockets.mmap(fd, ring.bytes(), where);
            PacketSockets.bind(fd, ifindex, Native.ETH_P_ALL, where);
            int group = ReceiveRing.FANOUT_NONE;
            if (fanout == ReceiveRing.FANOUT_NEW) {
                group = PacketSockets.fanoutCreate(fd, Native.PACKET_FANOUT_FLAG_IGNORE_OUTGOING, where);
            } else if (fanout != ReceiveRing.FANOUT_NONE) {
                PacketSockets.fanoutJoin(fd, fanout, where);
                group = fanout;
            }
            if (promiscuous) {
                PacketSockets.addPromiscuous(fd, ifindex, where);
            }
            return new RxSocket(fd, address, group);
        } catch (NetdevException | RuntimeException e) {
            PacketSockets.unmapQuietly(address, ring.bytes());
            PacketSockets.closeQuietly(fd);
            throw e;
        }
    }
}
