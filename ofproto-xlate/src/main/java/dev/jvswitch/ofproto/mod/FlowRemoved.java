package dev.jvswitch.ofproto.mod;

import java.util.Objects;

/**
 * A rule that left its table, with its last statistics and why (OVS's
 * {@code ofputil_flow_removed}). {@code Ofproto} returns one for every rule a change or an expiry
 * removed; a controller is told of those whose flags include {@link FlowMod.Flag#SEND_FLOW_REM}.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record FlowRemoved(FlowStats flow, Reason reason) {
    /** OpenFlow's flow-removed reasons ({@code OFPRR_*}). */
    public enum Reason {
        IDLE_TIMEOUT, HARD_TIMEOUT, DELETE, GROUP_DELETE, METER_DELETE
    }

    public FlowRemoved {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(reason, "reason");
    }
}
