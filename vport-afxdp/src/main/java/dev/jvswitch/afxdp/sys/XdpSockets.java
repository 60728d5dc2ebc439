package dev.jvswitch.afxdp.sys;

import static dev.jvswitch.pmd.netdev.sys.Syscalls.LIBC;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;

import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.sys.Scratch;
import dev.jvswitch.pmd.netdev.sys.Where;
import dev.jvswitch.pmd.netdev.sys.Syscalls;

/**
 * Setting up an XDP socket: the calls it needs before the first frame, each turned into a
 * {@link NetdevException} naming the port, the call, the interface and errno (with what to do
 * about it where errno alone would leave a user guessing).
 *
 * <p>Runs on the control thread, never on the data path, so it allocates a small direct buffer
 * per call for the structures it passes to the kernel.
 */
public final class XdpSockets {
    /** {@code struct xdp_umem_reg}: addr, len, chunk_size, headroom, flags, tx_metadata_len. */
    private static final int UMEM_REG_BYTES = 32;
    /** {@code struct xdp_mmap_offsets}: four {@code xdp_ring_offset}s of producer, consumer, desc, flags. */
    public static final int MMAP_OFFSETS_BYTES = 128;
    /** The same without the flags words (kernels before 5.4). */
    private static final int MMAP_OFFSETS_V1_BYTES = 96;
    /** {@code struct sockaddr_xdp}: family, flags, ifindex, queue_id, shared_umem_fd. */
    private static final int SOCKADDR_XDP_BYTES = 16;

    /** Where one ring's words are in its mapping, from {@code XDP_MMAP_OFFSETS}. */
    public record RingOffsets(long producer, long consumer, long desc, long flags) {
    }

    /** The four rings' offsets: rx, tx, fill, completion. */
    public record MmapOffsets(RingOffsets rx, RingOffsets tx, RingOffsets fill, RingOffsets completion) {
    }

    private XdpSockets() {
    }

    /** {@code socket(AF_XDP, SOCK_RAW, 0)}. */
    public static int open(Where where) throws NetdevException {
        int fd = LIBC.socket(Native.AF_XDP, Syscalls.SOCK_RAW | Syscalls.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            int err = Syscalls.errno();
            if (err == Syscalls.EAFNOSUPPORT) {
                throw where.fail("socket(AF_XDP)", err, "the kernel has no XDP sockets (CONFIG_XDP_SOCKETS)");
            }
            if (err == Syscalls.EPERM) {
                throw where.fail("socket(AF_XDP)", err, "AF_XDP ports need CAP_NET_RAW, CAP_NET_ADMIN and CAP_BPF"
                        + " (or root)");
            }
            throw where.fail("socket(AF_XDP)", err);
        }
        return fd;
    }

    /**
     * {@code XDP_UMEM_REG}: registers {@code bytes} at {@code address} as the socket's UMEM in
     * aligned chunks of {@code chunkBytes}, no extra headroom.
     */
    public static void registerUmem(int fd, long address, long bytes, int chunkBytes, Where where)
            throws NetdevException {
        ByteBuffer reg = Scratch.direct(UMEM_REG_BYTES);
        reg.putLong(0, address);
        reg.putLong(8, bytes);
        reg.putInt(16, chunkBytes);
        try {
            if (LIBC.setsockopt(fd, Native.SOL_XDP, Native.XDP_UMEM_REG, Scratch.address(reg), UMEM_REG_BYTES) != 0) {
                int err = Syscalls.errno();
                String call = "setsockopt(XDP_UMEM_REG, " + (bytes >> 20) + " MiB in " + chunkBytes + " B frames)";
                if (err == Syscalls.ENOMEM || err == Syscalls.ENOBUFS || err == Syscalls.EPERM) {
                    throw where.fail(call, err, "the UMEM is pinned memory: run as root, with CAP_IPC_LOCK, or raise"
                            + " RLIMIT_MEMLOCK above the mempool's size for every queue");
                }
                if (err == Syscalls.EINVAL && chunkBytes > 4096) {
                    throw where.fail(call, err, "frames larger than a page need the mempool in huge pages"
                            + " (mempool.hugepages) and Linux 6.6 or later; or lower mempool.mbuf-size");
                }
                throw where.fail(call, err);
            }
        } finally {
            Reference.reachabilityFence(reg);
        }
    }

    /** Sets the size (entries, a power of two) of ring {@code opt}. */
    public static void setRingSize(int fd, int opt, int entries, String name, Where where) throws NetdevException {
        int err = trySetInt(fd, Native.SOL_XDP, opt, entries);
        if (err != 0) {
            throw where.fail("setsockopt(" + name + ", " + entries + " entries)", err);
        }
    }

    /** Where the kernel put each ring's producer, consumer, flags and descriptors. */
    public static MmapOffsets mmapOffsets(int fd, Where where) throws NetdevException {
        ByteBuffer bb = Scratch.direct(MMAP_OFFSETS_BYTES + 8);
        bb.putInt(MMAP_OFFSETS_BYTES, MMAP_OFFSETS_BYTES);
        long a = Scratch.address(bb);
        try {
            if (LIBC.getsockopt(fd, Native.SOL_XDP, Native.XDP_MMAP_OFFSETS, a, a + MMAP_OFFSETS_BYTES) != 0) {
                throw where.fail("getsockopt(XDP_MMAP_OFFSETS)", Syscalls.errno());
            }
            int len = bb.getInt(MMAP_OFFSETS_BYTES);
            if (len == MMAP_OFFSETS_BYTES) {
                return new MmapOffsets(ring(bb, 0, 4), ring(bb, 32, 4), ring(bb, 64, 4), ring(bb, 96, 4));
            }
            if (len == MMAP_OFFSETS_V1_BYTES) {
                // No flags word: the kernel keeps it right after the consumer, as libxdp assumes.
                return new MmapOffsets(ring(bb, 0, 3), ring(bb, 24, 3), ring(bb, 48, 3), ring(bb, 72, 3));
            }
            throw where.problem("getsockopt(XDP_MMAP_OFFSETS) returned " + len + " bytes; expected "
                    + MMAP_OFFSETS_BYTES);
        } finally {
            Reference.reachabilityFence(bb);
        }
    }

    private static RingOffsets ring(ByteBuffer bb, int at, int words) {
        long producer = bb.getLong(at);
        long consumer = bb.getLong(at + 8);
        long desc = bb.getLong(at + 16);
        long flags = words == 4 ? bb.getLong(at + 24) : consumer + 4;
        return new RingOffsets(producer, consumer, desc, flags);
    }

    /** Maps {@code bytes} of the ring at page offset {@code pgoff} of the socket; returns its address. */
    public static long mmap(int fd, long bytes, long pgoff, String ring, Where where) throws NetdevException {
        long addr = LIBC.mmap(null, bytes, Syscalls.PROT_READ | Syscalls.PROT_WRITE, Syscalls.MAP_SHARED | Native.MAP_POPULATE,
                fd, pgoff);
        if (addr == Syscalls.MAP_FAILED || addr == 0L) {
            throw where.fail("mmap(" + ring + " ring, " + bytes + " B)", Syscalls.errno());
        }
        return addr;
    }

    /**
     * {@code bind} to queue {@code queue} of {@code ifindex} with {@code flags} ({@code XDP_COPY}
     * or {@code XDP_ZEROCOPY}, maybe {@code XDP_USE_NEED_WAKEUP}).
     *
     * @return 0 or errno (the caller decides between retrying, falling back and failing)
     */
    public static int bind(int fd, int ifindex, int queue, int flags) {
        ByteBuffer sa = Scratch.direct(SOCKADDR_XDP_BYTES);
        sa.putShort(0, (short) Native.AF_XDP);
        sa.putShort(2, (short) flags);
        sa.putInt(4, ifindex);
        sa.putInt(8, queue);
        try {
            return LIBC.bind(fd, Scratch.address(sa), SOCKADDR_XDP_BYTES) == 0 ? 0 : Syscalls.errno();
        } finally {
            Reference.reachabilityFence(sa);
        }
    }

    /** Whether the kernel runs the socket in zero-copy mode ({@code XDP_OPTIONS}); false if it cannot say. */
    public static boolean zeroCopy(int fd) {
        ByteBuffer bb = Scratch.direct(8);
        bb.putInt(4, 4);
        long a = Scratch.address(bb);
        try {
            return LIBC.getsockopt(fd, Native.SOL_XDP, Native.XDP_OPTIONS, a, a + 4) == 0
                    && (bb.getInt(0) & Native.XDP_OPTIONS_ZEROCOPY) != 0;
        } finally {
            Reference.reachabilityFence(bb);
        }
    }

    /**
     * Asks for a send buffer of {@code bytes}: forced past {@code wmem_max} where the process may
     * (CAP_NET_ADMIN), else as far as {@code wmem_max} allows. In copy mode the kernel charges
     * every frame it sent to the socket until the device lets go of it; a small buffer only means
     * kicks that the kernel cuts short.
     */
    public static void setSendBuffer(int fd, int bytes) {
        if (trySetInt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_SNDBUFFORCE, bytes) != 0) {
            trySetInt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_SNDBUF, bytes);
        }
    }

    /** {@code setsockopt(fd, level, opt, &value, sizeof(int))}; 0 or errno. */
    public static int trySetInt(int fd, int level, int opt, int value) {
        ByteBuffer bb = Scratch.direct(4);
        bb.putInt(0, value);
        try {
            return LIBC.setsockopt(fd, level, opt, Scratch.address(bb), 4) == 0 ? 0 : Syscalls.errno();
        } finally {
            Reference.reachabilityFence(bb);
        }
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
}
