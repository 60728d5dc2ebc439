package dev.jvswitch.afxdp.sys;

import java.util.Locale;

import dev.jvswitch.pmd.netdev.sys.Syscalls;

/**
 * The Linux constants of {@code <linux/if_xdp.h>}, {@code <linux/bpf.h>} and
 * {@code <linux/if_link.h>} that only the AF_XDP port uses; the libc binding, {@code errno} and the
 * socket, mman, ioctl and errno constants every port shares are pmd-core's {@link Syscalls}.
 * Values are those of Linux on x86-64 and arm64, which agree for all of them but the {@code bpf}
 * system call's number.
 */
public final class Native {
    // <sys/socket.h>
    public static final int AF_XDP = 44;
    public static final int SOL_XDP = 283;

    // <linux/if_xdp.h>
    public static final int XDP_SHARED_UMEM = 1;
    public static final int XDP_COPY = 1 << 1;
    public static final int XDP_ZEROCOPY = 1 << 2;
    public static final int XDP_USE_NEED_WAKEUP = 1 << 3;
    public static final int XDP_RING_NEED_WAKEUP = 1;
    public static final int XDP_MMAP_OFFSETS = 1;
    public static final int XDP_RX_RING = 2;
    public static final int XDP_TX_RING = 3;
    public static final int XDP_UMEM_REG = 4;
    public static final int XDP_UMEM_FILL_RING = 5;
    public static final int XDP_UMEM_COMPLETION_RING = 6;
    public static final int XDP_STATISTICS = 7;
    public static final int XDP_OPTIONS = 8;
    public static final int XDP_OPTIONS_ZEROCOPY = 1;
    public static final long XDP_PGOFF_RX_RING = 0L;
    public static final long XDP_PGOFF_TX_RING = 0x80000000L;
    public static final long XDP_UMEM_PGOFF_FILL_RING = 0x100000000L;
    public static final long XDP_UMEM_PGOFF_COMPLETION_RING = 0x180000000L;
    /** {@code XDP_PACKET_HEADROOM}: where the kernel puts a received frame in its chunk. */
    public static final int XDP_PACKET_HEADROOM = 256;
    /** The smallest UMEM chunk the kernel accepts ({@code XDP_UMEM_MIN_CHUNK_SIZE}). */
    public static final int XDP_UMEM_MIN_CHUNK_SIZE = 2048;
    /** {@code XDP_PKT_CONTD} in a descriptor's options: more fragments follow (multi-buffer). */
    public static final int XDP_PKT_CONTD = 1;

    // <sys/mman.h>
    public static final int MAP_POPULATE = 0x8000;

    // <linux/if_link.h>
    public static final int XDP_FLAGS_SKB_MODE = 1 << 1;
    public static final int XDP_FLAGS_DRV_MODE = 1 << 2;

    // <linux/bpf.h>
    public static final int BPF_MAP_CREATE = 0;
    public static final int BPF_MAP_UPDATE_ELEM = 2;
    public static final int BPF_PROG_LOAD = 5;
    public static final int BPF_LINK_CREATE = 28;
    public static final int BPF_MAP_TYPE_XSKMAP = 17;
    public static final int BPF_PROG_TYPE_XDP = 6;
    public static final int BPF_XDP = 37;
    /** The size of {@code union bpf_attr} we pass: larger than any command's part, zero-filled. */
    public static final int BPF_ATTR_BYTES = 144;

    /** {@code __NR_bpf} of the machine the JVM runs on; -1 where we do not know it. */
    public static final long SYS_BPF = bpfSyscallNumber(System.getProperty("os.arch", ""));

    private Native() {
    }

    static long bpfSyscallNumber(String arch) {
        return switch (arch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> 321;
            case "aarch64", "arm64", "riscv64", "loongarch64" -> 280;
            default -> -1;
        };
    }
}
