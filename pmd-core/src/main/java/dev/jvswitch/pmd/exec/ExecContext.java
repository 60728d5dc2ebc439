package dev.jvswitch.pmd.exec;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.pmd.netdev.TunnelOps;

/**
 * What the {@link ActionExecutor} needs from the PMD it runs in: where packets go when an action
 * sends them on, and where dropped or copied packets' memory comes from and returns to.
 *
 * <p>Every method that takes an mbuf takes ownership of it. A call happens on the PMD thread, in
 * the middle of a batch, so implementations must not block or allocate: buffer per tx port,
 * queue for recirculation, count drops in preallocated counters.
 *
 * <p><b>Drop reasons</b> are dense small integers ({@code 0..}{@link #DROP_REASON_COUNT}-1) so a
 * PMD can keep one counter per reason in an array; {@link #dropReasonName} gives their labels.
 *
 * <p><b>Thread-safety:</b> an implementation belongs to one PMD thread and is called only by it.
 */
public interface ExecContext {
    /** An explicit {@code drop} action, or an empty program. */
    int ACTION_DROP = 0;
    /**
     * The packet reached the end of its program after its last output (or with none at all) and
     * was freed. Not an error: e.g. {@code output(1),set(...)} leaves the original behind.
     */
    int END_OF_ACTIONS = 1;
    /** A recirc or tnl_pop found the packet already {@link ActionExecutor#MAX_RECIRC_DEPTH} deep. */
    int RECIRC_TOO_DEEP = 2;
    /** A copy for a non-final output, recirc or clone could not be made: the pool was empty. */
    int NO_MBUF_FOR_CLONE = 3;
    /** tnl_push: the port is not a tunnel, or its push failed (no headroom). */
    int TUNNEL_PUSH_FAILED = 4;
    /** tnl_pop: the port is not a tunnel, or the packet is not a valid packet of it. */
    int TUNNEL_POP_FAILED = 5;
    /** The packet lacks the headers an action needs (push_vlan on a runt, tnl_pop without L4). */
    int MALFORMED_FOR_ACTION = 6;
    /** push_vlan: fewer than 4 bytes of headroom in front of the packet. */
    int NO_HEADROOM = 7;

    int DROP_REASON_COUNT = 8;

    /** A stable label per reason, for counters and {@code coverage/show}. */
    static String dropReasonName(int reason) {
        return switch (reason) {
            case ACTION_DROP -> "action_drop";
            case END_OF_ACTIONS -> "end_of_actions";
            case RECIRC_TOO_DEEP -> "recirc_too_deep";
            case NO_MBUF_FOR_CLONE -> "no_mbuf_for_clone";
            case TUNNEL_PUSH_FAILED -> "tunnel_push_failed";
            case TUNNEL_POP_FAILED -> "tunnel_pop_failed";
            case MALFORMED_FOR_ACTION -> "malformed_for_action";
            case NO_HEADROOM -> "no_headroom";
            default -> "unknown_" + reason;
        };
    }

    /** Sends {@code m} out of datapath port {@code port} (buffered per tx port by the PMD). */
    void output(int port, Mbuf m);

    /**
     * Re-injects {@code m} into the datapath. The executor has already set its recirc id (and
     * for tnl_pop its in_port and tunnel metadata) and incremented its recirc depth.
     */
    void recirculate(Mbuf m);

    /** The tunnel operations of port {@code port}, or null if it is not a tunnel port. */
    TunnelOps tunnelOps(int port);

    /** The PMD's mbuf cache: copies come from it, dropped packets return to it. */
    MbufCache cache();

    /** Counts one packet dropped for {@code reason} whose mbuf has already been freed or never existed. */
    void countDrop(int reason);

    /** Frees {@code m} and counts it as dropped for {@code reason}. */
    default void drop(Mbuf m, int reason) {
        cache().put(m);
        countDrop(reason);
    }
}
