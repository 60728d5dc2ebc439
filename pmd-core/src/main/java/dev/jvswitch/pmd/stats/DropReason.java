package dev.jvswitch.pmd.stats;

import java.util.Locale;

import dev.jvswitch.flowcache.actions.DropCause;

/**
 * Every reason a PMD drops (or frees) a packet it had taken in: the one table the action
 * executor's codes, the PMD's drop counters and their names in the show commands all come from.
 * A new reason is one constant here; it gets its counter slot in every PMD, its line in
 * {@code dpif-netdev/pmd-stats-show} (when non-zero), its key in the JSON of
 * {@code pmd-stats-show} and in {@code coverage/show}.
 *
 * <p>Each reason has a stable dense {@link #id()} (so a PMD keeps one counter per reason in an
 * array and the hot path passes the constant, no boxing, no lookup), an OVS-style
 * {@link #reasonName()}, the {@link #label()} {@code pmd-stats-show} prints, and the
 * {@link #counterName()} the JSON and {@code coverage/show} use. Changing a label or a name
 * changes what users see.
 */
public enum DropReason {
    /** An explicit {@code drop} action, or an empty program. */
    ACTION("action_drop", "dropped by action"),
    /**
     * The packet reached the end of its program after its last output (or with none at all) and
     * was freed. Not an error: e.g. {@code output(1),set(...)} leaves the original behind.
     */
    END_OF_ACTIONS("end_of_actions", "freed after their last action"),
    /** {@code push_vlan}: fewer than 4 bytes of headroom in front of the packet. */
    NO_HEADROOM("no_headroom", "dropped: no headroom for a pushed header"),
    /**
     * A {@code recirc} or {@code tnl_pop} found the packet already at the executor's depth limit,
     * or the PMD's recirculation ring was full.
     */
    RECIRC_DEPTH("recirc_too_deep", "dropped: recirculation too deep"),
    /** A recirculated packet carried a recirc_id the slow path no longer knows. */
    RECIRC_UNKNOWN("recirc_id_unknown", "dropped: unknown recirc_id"),
    /** A copy for a non-final output, recirc or clone could not be made: the pool was empty. */
    NO_MBUF("no_mbuf_for_clone", "dropped: no mbuf for a copy"),
    /**
     * {@code tnl_push} or {@code tnl_pop} named a port that is not a tunnel, or a push found too
     * little headroom.
     */
    TUNNEL("tunnel_push_pop_failed", "dropped: tunnel push/pop failed"),
    /** Output to a datapath port that does not exist (any more). */
    NO_PORT("invalid_port", "dropped: output to a missing port"),
    /** The packet lacks the headers an action needs ({@code push_vlan} on a runt, {@code tnl_pop} without L4). */
    MALFORMED("malformed_for_action", "dropped: malformed for action"),
    /** {@code tnl_push}: the encapsulated packet would exceed the underlay port's MTU. */
    TUNNEL_MTU("tunnel_mtu_exceeded", "dropped: tunnel packet over the underlay MTU"),
    /**
     * {@code tnl_pop}: outer headers short or truncated, IPv4 options or a bad IPv4 header
     * checksum, or IP and UDP lengths that disagree.
     */
    TUNNEL_MALFORMED("tunnel_pop_malformed", "dropped: malformed tunnel packet"),
    /** {@code tnl_pop}: a non-zero outer UDP checksum that is wrong. */
    TUNNEL_BAD_CSUM("tunnel_pop_bad_checksum", "dropped: tunnel packet with a bad UDP checksum"),
    /** {@code tnl_pop}: the tunnel header is not valid (e.g. VXLAN flags other than the I bit). */
    TUNNEL_BAD_HEADER("tunnel_pop_bad_header", "dropped: invalid tunnel header"),
    /** Translation: output to a tunnel whose destination no route reaches. */
    TUNNEL_NO_ROUTE("tunnel_routing_failed", "dropped: no route to the tunnel destination"),
    /** Translation: the tunnel's next hop is not resolved yet (an ARP or ND request went out). */
    TUNNEL_NEIGH_MISS("tunnel_neigh_cache_miss", "dropped: tunnel next hop not resolved"),
    /** Translation: an outer IP fragment for a tunnel endpoint (fragments are not reassembled). */
    TUNNEL_FRAGMENT("tunnel_fragment", "dropped: fragment for a tunnel endpoint"),
    /** Translation: a decapsulated packet no tunnel port takes (unknown key or remote). */
    TUNNEL_NO_PORT("tunnel_port_not_found", "dropped: no tunnel port for a received packet"),
    /** Translation: a packet for the switch's own address that is neither tunnel traffic nor ARP/ND. */
    LOCAL_NO_STACK("local_no_stack", "dropped: for the switch itself, not tunnel or ARP/ND"),
    /** {@code meter}: over the rate of a meter band (OVS counts these on the band, not as a drop reason). */
    METER("meter_drop", "dropped by a meter band");

    private static final DropReason[] VALUES = values();
    /** The reason of each translation {@link DropCause}, by its ordinal. */
    private static final DropReason[] BY_CAUSE = new DropReason[DropCause.values().length];

    static {
        BY_CAUSE[DropCause.ACTION.ordinal()] = ACTION;
        BY_CAUSE[DropCause.TUNNEL_NO_ROUTE.ordinal()] = TUNNEL_NO_ROUTE;
        BY_CAUSE[DropCause.TUNNEL_NEIGH_MISS.ordinal()] = TUNNEL_NEIGH_MISS;
        BY_CAUSE[DropCause.TUNNEL_FRAGMENT.ordinal()] = TUNNEL_FRAGMENT;
        BY_CAUSE[DropCause.TUNNEL_NO_PORT.ordinal()] = TUNNEL_NO_PORT;
        BY_CAUSE[DropCause.LOCAL_NO_STACK.ordinal()] = LOCAL_NO_STACK;
        for (DropCause c : DropCause.values()) {
            if (BY_CAUSE[c.ordinal()] == null) {
                throw new ExceptionInInitializerError("drop cause " + c + " has no drop reason");
            }
        }
    }

    private final int id;
    private final String reasonName;
    private final String label;
    private final String counterName;

    DropReason(String reasonName, String label) {
        this.id = ordinal();
        this.reasonName = reasonName;
        this.label = label;
        this.counterName = "drop_" + name().toLowerCase(Locale.ROOT);
    }

    /** Stable dense id, {@code 0..}{@link #count()}{@code -1}: an index into per-reason arrays. */
    public int id() {
        return id;
    }

    /** The reason in OVS's style (lower case, underscores), e.g. {@code action_drop}. */
    public String reasonName() {
        return reasonName;
    }

    /** What {@code dpif-netdev/pmd-stats-show} prints before the count. */
    public String label() {
        return label;
    }

    /** The counter's key in JSON and {@code coverage/show}, e.g. {@code drop_action}. */
    public String counterName() {
        return counterName;
    }

    /** The reason a {@code drop} action with {@link DropCause} ordinal {@code cause} counts under. */
    public static DropReason ofCause(int cause) {
        return BY_CAUSE[cause];
    }

    public static DropReason of(int id) {
        return VALUES[id];
    }

    public static int count() {
        return VALUES.length;
    }
}
