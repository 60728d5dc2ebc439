package dev.jvswitch.pmd.stats;

import java.util.Locale;

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
     * {@code tnl_push} or {@code tnl_pop}: the port is not a tunnel, its push failed (no
     * headroom), or the packet is not a valid packet of the tunnel.
     */
    TUNNEL("tunnel_push_pop_failed", "dropped: tunnel push/pop failed"),
    /** Output to a datapath port that does not exist (any more). */
    NO_PORT("invalid_port", "dropped: output to a missing port"),
    /** The packet lacks the headers an action needs ({@code push_vlan} on a runt, {@code tnl_pop} without L4). */
    MALFORMED("malformed_for_action", "dropped: malformed for action");

    private static final DropReason[] VALUES = values();

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

    public static DropReason of(int id) {
        return VALUES[id];
    }

    public static int count() {
        return VALUES.length;
    }
}
