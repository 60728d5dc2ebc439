package dev.jvswitch.conntrack;

/**
 * The {@code nat} argument of one {@code ct} action (OVS's {@code nat_action_info_t}): SNAT or
 * DNAT, the address range, the port range, and {@code persistent}/{@code hash}/{@code random}.
 * A bare {@code nat} (neither {@link #SRC} nor {@link #DST}) means "apply the NAT the connection
 * already has": un-NAT replies, translate later packets of the original direction.
 *
 * <p>Mutable so that an executor fills one instance per {@code ct} action it runs and tracking a
 * batch allocates nothing; {@link Conntrack#execute} only reads it.
 *
 * <p><b>Thread-safety:</b> owned by one thread (one per executor); the values it holds are
 * copied into a connection when one is created.
 */
public final class NatParams {
    /** Source NAT ({@code nat(src=...)}). */
    public static final int SRC = 1;
    /** Destination NAT ({@code nat(dst=...)}). */
    public static final int DST = 2;
    public static final int PERSISTENT = 4;
    public static final int HASH = 8;
    public static final int RANDOM = 16;

    int flags;
    boolean ipv6;
    /** Whether an address range was given (all zero otherwise: keep the packet's own address). */
    boolean hasAddr;
    long minHi;
    long minLo;
    long maxHi;
    long maxLo;
    /** Port range; 0 when none was given. */
    int minPort;
    int maxPort;

    /** Bare {@code nat}: no new translation, apply the connection's. */
    public NatParams bare() {
        return set(0, false, false, 0, 0, 0, 0, 0, 0);
    }

    /**
     * Sets every value. An IPv4 address sits in the low 32 bits of its {@code Lo} word. A max of
     * zero means "same as min"; a {@code maxPort} of zero means "same as {@code minPort}".
     */
    public NatParams set(int flags, boolean ipv6, boolean hasAddr, long minHi, long minLo, long maxHi, long maxLo,
            int minPort, int maxPort) {
        this.flags = flags;
        this.ipv6 = ipv6;
        this.hasAddr = hasAddr;
        this.minHi = minHi;
        this.minLo = minLo;
        boolean noMax = (maxHi | maxLo) == 0;
        this.maxHi = noMax ? minHi : maxHi;
        this.maxLo = noMax ? minLo : maxLo;
        this.minPort = minPort;
        this.maxPort = maxPort == 0 ? minPort : maxPort;
        return this;
    }

    public int flags() {
        return flags;
    }

    /** OVS's {@code nat_action}: {@link NatAction} bits for this argument. */
    int action() {
        int a = 0;
        if ((flags & SRC) != 0) {
            a = NatAction.SRC | (minPort != 0 ? NatAction.SRC_PORT : 0);
        } else if ((flags & DST) != 0) {
            a = NatAction.DST | (minPort != 0 ? NatAction.DST_PORT : 0);
        }
        return a;
    }
}
