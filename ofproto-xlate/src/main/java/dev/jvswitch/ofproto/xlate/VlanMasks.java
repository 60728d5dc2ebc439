package dev.jvswitch.ofproto.xlate;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;

/**
 * The megaflow mask of the VLAN word (two tags: TPID and TCI each, outer tag in the high half).
 *
 * <p>The parser sets a tag's present bit (CFI in the TCI) exactly when the packet has that tag and
 * leaves every bit of a missing tag zero. So for a tag the packet does not have, its present bit
 * alone decides all its bits: whatever else translation looked at there (a rule on
 * {@code dl_vlan}, NORMAL's VLAN, a push that moved the tag stack) is the same for every packet
 * without that tag. {@link #trimAbsent} keeps just that bit, which is what OVS's datapath key says
 * with its Ethernet type (OVS's {@code xlate_wc_finish} clears such masks); the trace prints
 * no VLAN match for it, as OVS does.
 */
final class VlanMasks {
    static final int WORD = FlowField.VLAN_TCI.word();
    private static final long OUTER = 0xffff_ffff_0000_0000L;
    private static final long INNER = 0x0000_0000_ffff_ffffL;
    private static final long PRESENT0 = (long) FlowKey.VLAN_CFI << FlowField.VLAN_TCI.shift();
    private static final long PRESENT1 = (long) FlowKey.VLAN_CFI << FlowField.VLAN_TCI1.shift();

    static {
        if (FlowField.VLAN_TCI1.word() != WORD || FlowField.VLAN_TPID.shift() != 48 || FlowField.VLAN_TCI.shift() != 32
                || FlowField.VLAN_TPID1.shift() != 16 || FlowField.VLAN_TCI1.shift() != 0) {
            throw new ExceptionInInitializerError("VLAN word layout changed");
        }
    }

    private VlanMasks() {
    }

    /** The mask of every tag in {@code vlans} (a packet's VLAN word) and of the first tag it lacks. */
    static long headers(long vlans) {
        if ((vlans & PRESENT0) == 0) {
            return PRESENT0;
        }
        if ((vlans & PRESENT1) == 0) {
            return OUTER | PRESENT1;
        }
        return -1L;
    }

    /** {@code mask} with each tag the packet ({@code vlans}) lacks reduced to its present bit, if masked at all. */
    static long trimAbsent(long mask, long vlans) {
        if ((vlans & PRESENT0) == 0) {
            // No outer tag means no inner one either: the outer present bit covers both.
            return (mask & OUTER) != 0 ? PRESENT0 : (mask & INNER) != 0 ? PRESENT1 : 0;
        }
        if ((vlans & PRESENT1) == 0 && (mask & INNER) != 0) {
            return (mask & OUTER) | PRESENT1;
        }
        return mask;
    }
}
