package dev.jvswitch.afpacket.sys;

import dev.jvswitch.pmd.netdev.sys.LibC;
import dev.jvswitch.pmd.netdev.sys.Syscalls;

/**
 * The libc binding (pmd-core's shared {@link Syscalls#LIBC}), {@code errno}, and the Linux constants of {@code <linux/if_packet.h>},
 * {@code <sys/socket.h>}, {@code <sys/mman.h>}, {@code <net/if.h>} and {@code <sys/ioctl.h>} that
 * the AF_PACKET port uses. Values are those of Linux on x86-64 and arm64, which agree for all of
 * them.
 */
public final class Native {
    /** The shared libc binding ({@link Syscalls#LIBC}); off Linux, loading it fails. */
    public static final LibC LIBC = Syscalls.LIBC;

    // <sys/socket.h>
    public static final int AF_INET = 2;
    public static final int AF_PACKET = 17;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SOL_PACKET = 263;
    public static final int SO_SNDBUF = 7;
    /** As SO_SNDBUF, past {@code net.core.wmem_max}; needs CAP_NET_ADMIN. */
    public static final int SO_SNDBUFFORCE = 32;
    public static final int MSG_DONTWAIT = 0x40;

    // <linux/if_ether.h>
    public static final int ETH_P_ALL = 0x0003;

    // <linux/if_packet.h> socket options
    public static final int PACKET_ADD_MEMBERSHIP = 1;
    public static final int PACKET_RX_RING = 5;
    public static final int PACKET_STATISTICS = 6;
    public static final int PACKET_VERSION = 10;
    public static final int PACKET_TX_RING = 13;
    public static final int PACKET_LOSS = 14;
    public static final int PACKET_FANOUT = 18;
    public static final int PACKET_QDISC_BYPASS = 20;
    public static final int PACKET_IGNORE_OUTGOING = 23;

    public static final int PACKET_MR_PROMISC = 1;
    public static final int PACKET_FANOUT_HASH = 0;
    /** Kernel ≥ 4.6: the kernel picks an unused group id (request id must be 0). */
    public static final int PACKET_FANOUT_FLAG_UNIQUEID = 0x2000;
    /** Kernel ≥ 6.8: the group's hook skips outgoing frames, as PACKET_IGNORE_OUTGOING does. */
    public static final int PACKET_FANOUT_FLAG_IGNORE_OUTGOING = 0x4000;

    public static final int TPACKET_V2 = 1;
    public static final int TPACKET_V3 = 2;

    /** {@code sll_pkttype} of a frame this host sent. */
    public static final int PACKET_OUTGOING = 4;

    // <sys/mman.h>
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;
    public static final long MAP_FAILED = -1L;

    // <sys/ioctl.h> / <linux/sockios.h>
    public static final long SIOCGIFFLAGS = 0x8913;
    public static final long SIOCGIFMTU = 0x8921;
    public static final long SIOCGIFHWADDR = 0x8927;
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
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOPROTOOPT = 92;
    public static final int ENOBUFS = 105;
    public static final int ENETDOWN = 100;

    private Native() {
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
