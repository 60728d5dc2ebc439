package dev.jvswitch.flowcache.actions;

/**
 * Why translation chose to drop: the operand of a {@code drop} action (OVS's {@code xlate_error}
 * carried by its datapath drop action). The datapath counts each cause under a drop reason of its
 * own, so a packet dropped because, say, a tunnel's next hop is not resolved yet is told apart
 * from one an OpenFlow rule dropped. As in OVS the cause is not printed: every drop prints as
 * {@code drop}, and parsing that text gives {@link #ACTION}.
 */
public enum DropCause {
    /** An OpenFlow rule (or an empty action list) dropped the packet. */
    ACTION,
    /** Output to a tunnel whose destination no route reaches. */
    TUNNEL_NO_ROUTE,
    /** Output to a tunnel whose next hop has no neighbour entry yet (resolution is under way). */
    TUNNEL_NEIGH_MISS,
    /** An IP fragment addressed to a tunnel endpoint: outer fragments are not reassembled. */
    TUNNEL_FRAGMENT,
    /** A decapsulated packet that no tunnel port takes (unknown key or remote). */
    TUNNEL_NO_PORT,
    /** A packet for the switch's own address that is neither a tunnel packet nor ARP/ND. */
    LOCAL_NO_STACK;

    private static final DropCause[] VALUES = values();

    /** The cause with this {@link #ordinal()}. */
    public static DropCause of(int ordinal) {
        return VALUES[ordinal];
    }
}
