package dev.jvswitch.afpacket.sys;

import static dev.jvswitch.pmd.netdev.sys.Syscalls.LIBC;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.lang.ref.Reference;

import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.sys.Where;
import dev.jvswitch.pmd.netdev.sys.Syscalls;

/**
 * Setting up AF_PACKET sockets: the calls a ring needs before the first packet, each turned
 * into a {@link NetdevException} naming the port, the call, the interface and errno.
 *
 * <p>Runs on the control thread (or whichever thread opens a port), never on the data path, so
 * it allocates a small direct buffer per call for the structures it passes to the kernel.
 */
public final class PacketSockets {
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    /** {@code struct sockaddr_ll}: family, protocol (network order), ifindex, hatype, pkttype, halen, addr[8]. */
    public static final int SOCKADDR_LL_BYTES = 20;
    private static final int SLL_FAMILY_OFFSET = 0;
    private static final int SLL_PROTOCOL_OFFSET = 2;
    private static final int SLL_IFINDEX_OFFSET = 4;

    /** {@code struct packet_mreq}: ifindex, type, alen, address[8]. */
    private static final int PACKET_MREQ_BYTES = 16;

    private PacketSockets() {
    }

    /**
     * {@code socket(AF_PACKET, SOCK_RAW, 0)}: protocol 0 so the socket hears nothing until
     * {@link #bind} names the interface and protocol.
     */
    public static int open(Where where) throws NetdevException {
        int fd = LIBC.socket(Native.AF_PACKET, Syscalls.SOCK_RAW | Syscalls.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw where.fail("socket(AF_PACKET, SOCK_RAW)", Syscalls.errno());
        }
        return fd;
    }

    /** {@code setsockopt(fd, level, opt, &value, sizeof(int))}. */
    public static void setInt(int fd, int level, int opt, int value, String optName, Where where)
            throws NetdevException {
        int err = trySetInt(fd, level, opt, value);
        if (err != 0) {
            throw where.fail("setsockopt(" + optName + ")", err);
        }
    }

    /** As {@link #setInt}, returning errno (0 on success) for options older kernels lack. */
    public static int trySetInt(int fd, int level, int opt, int value) {
        ByteBuffer bb = direct(4);
        bb.putInt(0, value);
        try {
            return LIBC.setsockopt(fd, level, opt, address(bb), 4) == 0 ? 0 : Syscalls.errno();
        } finally {
            Reference.reachabilityFence(bb);
        }
    }

    /**
     * {@code setsockopt(PACKET_RX_RING or PACKET_TX_RING)} with a {@code tpacket_req3} (TPACKET_V3)
     * or {@code tpacket_req} (V1/V2).
     *
     * @param retireTimeoutMs V3 rx only: how long the kernel keeps a partly filled block
     */
    public static void setRing(int fd, int opt, boolean v3, int blockSize, int blockCount, int frameSize,
            int retireTimeoutMs, Where where) throws NetdevException {
        ByteBuffer bb = direct(28);
        int frameCount = (blockSize / frameSize) * blockCount;
        bb.putInt(0, blockSize);
        bb.putInt(4, blockCount);
        bb.putInt(8, frameSize);
        bb.putInt(12, frameCount);
        bb.putInt(16, retireTimeoutMs); // tp_retire_blk_tov
        bb.putInt(20, 0);               // tp_sizeof_priv
        bb.putInt(24, 0);               // tp_feature_req_word
        String name = opt == Native.PACKET_RX_RING ? "PACKET_RX_RING" : "PACKET_TX_RING";
        try {
            if (LIBC.setsockopt(fd, Native.SOL_PACKET, opt, address(bb), v3 ? 28 : 16) != 0) {
                throw where.fail("setsockopt(" + name + ", " + blockCount + " x " + blockSize + " B)", Syscalls.errno());
            }
        } finally {
            Reference.reachabilityFence(bb);
        }
    }

    /** Maps a ring of {@code bytes} set up on {@code fd}; returns its address. */
    public static long mmap(int fd, long bytes, Where where) throws NetdevException {
        long addr = LIBC.mmap(null, bytes, Syscalls.PROT_READ | Syscalls.PROT_WRITE, Syscalls.MAP_SHARED, fd, 0L);
        if (addr == Syscalls.MAP_FAILED || addr == 0L) {
            throw where.fail("mmap(" + bytes + " B ring)", Syscalls.errno());
        }
        return addr;
    }

    /** {@code bind} to {@code ifindex}; {@code protocol} 0 makes a send-only socket. */
    public static void bind(int fd, int ifindex, int protocol, Where where) throws NetdevException {
        ByteBuffer bb = direct(SOCKADDR_LL_BYTES);
        bb.putShort(SLL_FAMILY_OFFSET, (short) Native.AF_PACKET);
        bb.order(ByteOrder.BIG_ENDIAN).putShort(SLL_PROTOCOL_OFFSET, (short) protocol).order(NATIVE);
        bb.putInt(SLL_IFINDEX_OFFSET, ifindex);
        try {
            if (LIBC.bind(fd, address(bb), SOCKADDR_LL_BYTES) != 0) {
                throw where.fail("bind(AF_PACKET, ifindex " + ifindex + ")", Syscalls.errno());
            }
        } finally {
            Reference.reachabilityFence(bb);
        }
    }

    /** Puts the interface in promiscuous mode for as long as {@code fd} stays open. */
    public static void addPromiscuous(int fd, int ifindex, Where where) throws NetdevException {
        ByteBuffer bb = direct(PACKET_MREQ_BYTES);
        bb.putInt(0, ifindex);
        bb.putShort(4, (short) Native.PACKET_MR_PROMISC);
        try {
            if (LIBC.setsockopt(fd, Native.SOL_PACKET, Native.PACKET_ADD_MEMBERSHIP, address(bb),
                    PACKET_MREQ_BYTES) != 0) {
                throw where.fail("setsockopt(PACKET_ADD_MEMBERSHIP, PACKET_MR_PROMISC)", Syscalls.errno());
            }
        } finally {
            Reference.reachabilityFence(bb);
        }
    }

    /**
     * Creates a hash fanout group with a kernel-chosen unused id ({@code PACKET_FANOUT_FLAG_UNIQUEID},
     * Linux 4.6) and puts {@code fd} in it. {@code wantedFlags} are PACKET_FANOUT_FLAG_* bits a
     * kernel may not know yet; without them the group is made with none.
     *
     * @return the group as {@code getsockopt(PACKET_FANOUT)} reports it (id, type and flags), which
     *         is exactly the value {@link #fanoutJoin} passes for the other members
     */
    public static int fanoutCreate(int fd, int wantedFlags, Where where) throws NetdevException {
        int typeFlags = Native.PACKET_FANOUT_HASH | Native.PACKET_FANOUT_FLAG_UNIQUEID;
        int err = trySetInt(fd, Native.SOL_PACKET, Native.PACKET_FANOUT, (typeFlags | wantedFlags) << 16);
        if (err == Syscalls.EINVAL && wantedFlags != 0) {
            err = trySetInt(fd, Native.SOL_PACKET, Native.PACKET_FANOUT, typeFlags << 16);
        }
        if (err != 0) {
            throw where.fail("setsockopt(PACKET_FANOUT, hash, new group)", err);
        }
        ByteBuffer bb = direct(8);
        bb.putInt(4, 4);
        try {
            if (LIBC.getsockopt(fd, Native.SOL_PACKET, Native.PACKET_FANOUT, address(bb), address(bb) + 4) != 0) {
                throw where.fail("getsockopt(PACKET_FANOUT)", Syscalls.errno());
            }
            return bb.getInt(0);
        } finally {
            Reference.reachabilityFence(bb);
        }
    }

    /** Joins the fanout group {@code group} (a value {@link #fanoutCreate} returned). */
    public static void fanoutJoin(int fd, int group, Where where) throws NetdevException {
        setInt(fd, Native.SOL_PACKET, Native.PACKET_FANOUT, group,
                "PACKET_FANOUT, hash, group " + (group & 0xffff), where);
    }

    /** Closes {@code fd} if it is open; errors are of no use at that point. */
    public static void closeQuietly(int fd) {
        if (fd >= 0) {
            LIBC.close(fd);
        }
    }

    /** Unmaps a ring if it is mapped. */
    public static void unmapQuietly(long address, long bytes) {
        if (address != 0L) {
            LIBC.munmap(address, bytes);
        }
    }

    static ByteBuffer direct(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(NATIVE);
    }

    static long address(ByteBuffer bb) {
        return new UnsafeBuffer(bb).addressOffset();
    }
}
