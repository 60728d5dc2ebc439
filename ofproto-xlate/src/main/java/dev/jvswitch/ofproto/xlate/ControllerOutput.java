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
 * @param pin         what a {@code controller(...)} action adds (null for {@code output:CONTROLLER}
 *                    from OpenFlow's own action)
 * @param meterDpId   the datapath meter the packet-in passes first ({@code controller(meter_id=N)},
 *                    else the bridge's controller meter), or {@link #NO_METER}
 *
 * <p><b>Thread-safety:</b> immutable (the flow key in {@code pin} is a copy no one writes).
 */
public record ControllerOutput(String bridge, int inPort, int tableId, long cookie, boolean tableMiss, int maxLen,
        boolean invalidTtl, int editsBefore, dev.jvswitch.flowcache.actions.DpActions pendingEdits, Pin pin,
        int meterDpId) {
    /** No meter for this packet-in. */
    public static final int NO_METER = -1;
    /** OpenFlow's packet-in reasons this can give. */
    public static final int REASON_NO_MATCH = 0;
    public static final int REASON_ACTION = 1;
    public static final int REASON_INVALID_TTL = 2;

    /** An output:CONTROLLER action's packet-in. */
    public ControllerOutput(String bridge, int inPort, int tableId, long cookie, boolean tableMiss, int maxLen) {
        this(bridge, inPort, tableId, cookie, tableMiss, maxLen, false, 0, null, null, NO_METER);
    }

    /** A packet-in that passes no meter. */
    public ControllerOutput(String bridge, int inPort, int tableId, long cookie, boolean tableMiss, int maxLen,
            boolean invalidTtl, int editsBefore, dev.jvswitch.flowcache.actions.DpActions pendingEdits, Pin pin) {
        this(bridge, inPort, tableId, cookie, tableMiss, maxLen, invalidTtl, editsBefore, pendingEdits, pin, NO_METER);
    }

    /**
     * The packet-in reason: INVALID_TTL, NO_MATCH (a table-miss rule whose action gives reason
     * ACTION) or the action's (ACTION unless {@code controller(reason=...)} says otherwise).
     */
    public int reason() {
        if (invalidTtl) {
            return REASON_INVALID_TTL;
        }
        int r = pin == null ? REASON_ACTION : pin.reason();
        return tableMiss && r == REASON_ACTION ? REASON_NO_MATCH : r;
    }

    /** The controller id the packet-in is for (0 unless {@code controller(id=N)}). */
    public int controllerId() {
        return pin == null ? 0 : pin.controllerId();
    }

    /** This output with the continuation {@code state} (its {@code pause} froze there). */
    ControllerOutput withContinuation(FrozenState state) {
        return new ControllerOutput(bridge, inPort, tableId, cookie, tableMiss, maxLen, invalidTtl, editsBefore,
                pendingEdits, new Pin(pin.reason(), pin.controllerId(), pin.userdata(), pin.flow(), true, state),
                meterDpId);
    }

    /**
     * What NXT_PACKET_IN2 says beyond OpenFlow's packet-in (OVS's {@code ofputil_packet_in_private}).
     *
     * @param reason       the action's reason
     * @param userdata     the action's user data (empty: none); not copied, never written
     * @param flow         the flow as translation had it at the action: its registers, metadata,
     *                     tunnel and conntrack fields are the packet-in's metadata
     * @param pause        the action had {@code pause}
     * @param continuation where translation stopped, for NXT_RESUME; null without {@code pause}
     *                     or when translation ended right after the action
     */
    public record Pin(int reason, int controllerId, byte[] userdata, dev.jvswitch.flowcache.key.FlowKey flow,
            boolean pause, FrozenState continuation) {
    }
}
