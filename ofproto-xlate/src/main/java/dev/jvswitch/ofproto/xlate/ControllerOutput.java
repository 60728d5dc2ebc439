package dev.jvswitch.ofproto.xlate;

/**
 * One {@code output:CONTROLLER} (or {@code controller(...)}) that a translation ran: what a
 * packet-in for it says. Translation records them in order; the upcall handler hands the packet
 * and these to the OpenFlow channel ({@link PacketInSink}).
 *
 * @param bridge    the bridge whose rule sent it
 * @param inPort    the packet's OpenFlow in_port at that point
 * @param tableId   the table of the rule that sent it
 * @param cookie    that rule's cookie
 * @param tableMiss true if the rule is a table-miss rule (priority 0, matches everything):
 *                  OpenFlow 1.3 reports those with reason NO_MATCH, the others ACTION
 * @param maxLen    bytes of the packet to send (65535: all)
 * @param invalidTtl true if {@code dec_ttl} sent it (TTL 0 or 1): reason INVALID_TTL, as in OVS
 * @param editsBefore how many instructions of the flow's datapath program come before it: their
 *                    edits ({@code set}, VLAN push and pop) are the packet the controller gets;
 *                    -1 when it is not at the program's top level (inside a clone), where the
 *                    packet goes as it arrived
 * @param pendingEdits the edits the flow had made but not yet put in the datapath program at that
 *                    point (null: none), applied after those of {@code editsBefore}
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record ControllerOutput(String bridge, int inPort, int tableId, long cookie, boolean tableMiss, int maxLen,
        boolean invalidTtl, int editsBefore, dev.jvswitch.flowcache.actions.DpActions pendingEdits) {
    /** OpenFlow's packet-in reasons this can give. */
    public static final int REASON_NO_MATCH = 0;
    public static final int REASON_ACTION = 1;
    public static final int REASON_INVALID_TTL = 2;

    /** An output:CONTROLLER action's packet-in. */
    public ControllerOutput(String bridge, int inPort, int tableId, long cookie, boolean tableMiss, int maxLen) {
        this(bridge, inPort, tableId, cookie, tableMiss, maxLen, false, 0, null);
    }

    /** The packet-in reason: INVALID_TTL, NO_MATCH (a table-miss rule) or ACTION. */
    public int reason() {
        return invalidTtl ? REASON_INVALID_TTL : tableMiss ? REASON_NO_MATCH : REASON_ACTION;
    }
}
