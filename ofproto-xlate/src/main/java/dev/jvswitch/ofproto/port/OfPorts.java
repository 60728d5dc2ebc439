package dev.jvswitch.ofproto.port;

/**
 * OpenFlow port numbers, OpenFlow 1.0 style (16 bits, as OVS keeps them inside; an OpenFlow
 * 1.3 codec maps the 32-bit reserved numbers onto these), as ovs-ofctl writes them. Numbers
 * 1..{@link #MAX} name ports of a bridge; the numbers above {@link #MAX} are the reserved ports,
 * which translation treats as actions rather than as ports.
 */
public final class OfPorts {
    /** Highest number a real port may have (OFPP_MAX). */
    public static final int MAX = 0xff00;
    /** The port the packet came in on: {@code output:IN_PORT}, and "keep in_port" in resubmit. */
    public static final int IN_PORT = 0xfff8;
    /** Run the packet through the tables (packet-out only). */
    public static final int TABLE = 0xfff9;
    /** Traditional L2 switching with MAC learning. */
    public static final int NORMAL = 0xfffa;
    /** Every port except the input port and ports with flooding disabled. */
    public static final int FLOOD = 0xfffb;
    /** Every port except the input port. */
    public static final int ALL = 0xfffc;
    /** To the OpenFlow controller. */
    public static final int CONTROLLER = 0xfffd;
    /** The bridge's own internal port. */
    public static final int LOCAL = 0xfffe;
    /** No port (e.g. an unset watch_port). */
    public static final int NONE = 0xffff;
    /** "Any port" in a flow mod's or stats request's {@code out_port} (OFPP_ANY; the number of NONE, as in OVS). */
    public static final int ANY = NONE;

    private static final String[] RESERVED_NAMES = {
        "IN_PORT", "TABLE", "NORMAL", "FLOOD", "ALL", "CONTROLLER", "LOCAL", "NONE"};

    private OfPorts() {
    }

    /** True for the numbers above {@link #MAX} that ovs-ofctl names (IN_PORT..NONE). */
    public static boolean isReserved(int port) {
        return port >= IN_PORT && port <= NONE;
    }

    /** True for a number a bridge port may have: 1..{@link #MAX}. */
    public static boolean isPhysical(int port) {
        return port >= 1 && port <= MAX;
    }

    /**
     * True for a number an {@code output} action may name: 0..{@link #MAX}-1, as OVS checks it
     * (below its {@code max_ports}); one the bridge does not have drops the packet.
     */
    public static boolean isOutputPort(int port) {
        return port >= 0 && port < MAX;
    }

    /** {@code LOCAL}, {@code NORMAL}, ... for a reserved port, else the decimal number. */
    public static String format(int port) {
        return isReserved(port) ? RESERVED_NAMES[port - IN_PORT] : Integer.toString(port);
    }

    /**
     * The reserved port called {@code name} (upper or lower case), or -1 if it names none.
     * {@code ANY} is {@link #NONE}, as OVS 3.1 prints that number.
     */
    public static int reserved(String name) {
        if ("ANY".equalsIgnoreCase(name)) {
            return NONE;
        }
        for (int i = 0; i < RESERVED_NAMES.length; i++) {
            if (RESERVED_NAMES[i].equalsIgnoreCase(name)) {
                return IN_PORT + i;
            }
        }
        return -1;
    }
}
