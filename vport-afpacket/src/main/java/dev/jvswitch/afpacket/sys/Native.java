package dev.jvswitch.afpacket.sys;

import dev.jvswitch.pmd.netdev.sys.Syscalls;

/**
 * The Linux constants of {@code <linux/if_packet.h>} that only the AF_PACKET port uses; the libc
 * binding, {@code errno} and the socket, mman, ioctl and errno constants every port shares are
 * pmd-core's {@link Syscalls}. Values are those of Linux on x86-64 and arm64, which agree for all
 * of them.
 */
public final class Native {
    // <sys/socket.h>
    public static final int AF_PACKET = 17;
    public static final int SOL_PACKET = 263;

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

    private Native() {
    }
}
