package dev.jvswitch.afxdp.sys;

import java.util.Locale;

import dev.jvswitch.pmd.netdev.sys.LibC;
import dev.jvswitch.pmd.netdev.sys.Syscalls;

/**
 * The libc binding (pmd-core's shared {@link Syscalls#LIBC}), {@code errno}, and the Linux constants of {@code <linux/if_xdp.h>},
 * {@code <linux/bpf.h>}, {@code <linux/if_link.h>}, {@code <sys/socket.h>}, {@code <sys/mman.h>}
 * and {@code <net/if.h>} that the AF_XDP port uses. Values are those of Linux on x86-64 and arm64,
 * which agree for all of them but the {@code bpf} system call's number.
 */
public final class Native {
    /** The shared libc binding ({@link Syscalls#LIBC}); off Linux, loading it fails. */
    public static final LibC LIBC = Syscalls.LIBC;

    // <sys/socket.h>
    public static final int AF_INET = 2;
    public static final int AF_XDP = 44;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SOL_XDP = 283;
    public static final int SO_SNDBUF = 7;
    /** As SO_SNDBUF, past {@code net.core.wmem_max}; needs CAP_NET_ADMIN. */
    public static final int SO_SNDBUFFORCE = 32;
    public static final int MSG_DONTWAIT = 0x40;

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

    // <sys/mman.h>
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;
    public static final int MAP_POPULATE = 0x8000;
    public static final long MAP_FAILED = -1L;

    // <sys/ioctl.h> / <linux/sockios.h>
    public static final long SIOCGIFFLAGS = 0x8913;
    public static final long SIOCGIFMTU = 0x8921;
    public static final long SIOCGIFHWADDR = 0x8927;
    public static final long SIOCETHTOOL = 0x8946;
    public static final int IFNAMSIZ = 16;
    /** {@code struct ifreq}: a 16-byte name and a 24-byte union. */
    public static final int IFREQ_BYTES = 40;
    public static final int IFF_UP = 0x1;
    public static final int IFF_RUNNING = 0x40;

    // <errno.h> values the port reacts to
    public static final int EPERM = 1;
    public static final int EINTR = 4;
    public static final int ENXIO = 6;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOPROTOOPT = 92;
    public static final int EAFNOSUPPORT = 97;
    public static final int EOPNOTSUPP = 95;
    public static final int ENETDOWN = 100;
    public static final int ENOBUFS = 105;

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

    /** The {@code errno} saved by the last call of the calling thread. */
    public static int errno() {
        return Syscalls.errno();
    }

    /** errno's text and symbolic name, e.g. {@code "Operation not permitted (EPERM)"}. */
    public static String describe(int errno) {
        return Syscalls.describe(errno);
    }

    /** True for the errors that mean the device went away or down under a socket. */
    public static boolean isLinkError(int errno) {
        return errno == ENXIO || errno == ENETDOWN || errno == ENODEV;
    }
}
