package dev.jvswitch.afxdp.sys;

import static dev.jvswitch.pmd.netdev.sys.Syscalls.LIBC;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;

import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.sys.Scratch;
import dev.jvswitch.pmd.netdev.sys.Where;
import dev.jvswitch.pmd.netdev.sys.Syscalls;

/**
 * Promiscuous mode for as long as a descriptor stays open: an AF_PACKET socket of protocol 0 (it
 * receives nothing) with a {@code PACKET_MR_PROMISC} membership, which the kernel counts and drops
 * when the socket closes, however the process ends. (Setting {@code IFF_PROMISC} with an ioctl
 * would outlive a crash.) A NIC needs it to hand the XDP program frames addressed to other
 * machines; a veth passes them anyway.
 */
public final class Promiscuous {
    private static final int AF_PACKET = 17;
    private static final int SOL_PACKET = 263;
    private static final int PACKET_ADD_MEMBERSHIP = 1;
    private static final int PACKET_MR_PROMISC = 1;
    /** {@code struct packet_mreq}: ifindex, type, alen, address[8]. */
    private static final int PACKET_MREQ_BYTES = 16;

    private Promiscuous() {
    }

    /** Turns promiscuous mode on for {@code ifindex}; returns the descriptor that keeps it on. */
    public static int enable(int ifindex, Where where) throws NetdevException {
        int fd = LIBC.socket(AF_PACKET, Syscalls.SOCK_RAW | Syscalls.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw where.fail("socket(AF_PACKET) for promiscuous mode", Syscalls.errno());
        }
        ByteBuffer mreq = Scratch.direct(PACKET_MREQ_BYTES);
        mreq.putInt(0, ifindex);
        mreq.putShort(4, (short) PACKET_MR_PROMISC);
        try {
            if (LIBC.setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, Scratch.address(mreq), PACKET_MREQ_BYTES) != 0) {
                int err = Syscalls.errno();
                LIBC.close(fd);
                throw where.fail("setsockopt(PACKET_ADD_MEMBERSHIP, PACKET_MR_PROMISC)", err);
            }
            return fd;
        } finally {
            Reference.reachabilityFence(mreq);
        }
    }
}
