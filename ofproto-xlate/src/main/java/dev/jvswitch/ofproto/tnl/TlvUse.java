package dev.jvswitch.ofproto.tnl;

import java.util.List;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.action.FieldRef;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.mod.FlowStats;
import dev.jvswitch.ofproto.mod.Instruction;

/**
 * Which {@code tun_metadataN} rules use, by a bridge's {@link TlvMap}: what a match tests and
 * what actions read or write. The OpenFlow channel refuses a flow on a field the map does not
 * name, and a delete of a mapping a flow uses (OVS's {@code NXTTMFC_INVALID_TLV_DEL}): the
 * flow's bytes would lie in slots a later mapping may take.
 *
 * <p>Stateless.
 */
public final class TlvUse {
    private TlvUse() {
    }

    /**
     * The {@code tun_metadataN} indices {@code m} matches on, as a bit set (bit N), where
     * {@code map} lays the fields out: a slot that holds bytes of a longer option counts as that
     * option's, not as a field of its own.
     */
    public static long matched(Match m, TlvMap map) {
        long used = 0;
        for (int i = 0; i < TlvMap.MAX_FIELDS; i++) {
            if (m.mask(FlowField.tunMetadata(i)) != 0 && !map.isExtensionSlot(i)) {
                used |= 1L << i;
            }
        }
        return used;
    }

    /**
     * Why deleting the mappings of {@code indices} (all of {@code map}'s when null) would leave
     * one of {@code flows} on a field the map no longer names, or null if none would: OVS refuses
     * such a delete ({@code NXTTMFC_INVALID_TLV_DEL}), and the flow's bytes would lie in slots a
     * later mapping may take.
     */
    public static String inUse(List<FlowStats> flows, TlvMap map, List<Integer> indices) {
        long removed = 0;
        for (TlvMap.Mapping m : map.mappings()) {
            if (indices == null || indices.contains(m.index())) {
                removed |= 1L << m.index();
            }
        }
        for (int k = 0; removed != 0 && k < flows.size(); k++) {
            FlowStats fs = flows.get(k);
            long used = used(fs.match(), fs.instructions(), map);
            if ((used & removed) != 0) {
                return "tun_metadata" + Long.numberOfTrailingZeros(used & removed) + " is used by a flow of table "
                        + fs.tableId();
            }
        }
        return null;
    }

    /**
     * Why {@code after}, {@code before} with mappings added, would move the bytes of an option one
     * of {@code flows} uses, or null if it would not: a new mapping whose own slot held a longer
     * option's bytes moves them ({@link TlvMap#add}), and a rule laid out in the old slots would
     * then match and set the wrong bytes. Refused as OVS refuses an option it has no room for
     * ({@code NXTTMFC_TABLE_FULL}): the room is there only by moving one in use.
     */
    public static String moved(List<FlowStats> flows, TlvMap before, TlvMap after) {
        long moved = 0;
        for (TlvMap.Mapping m : before.mappings()) {
            if (!java.util.Arrays.equals(before.slotsOf(m.index()), after.slotsOf(m.index()))) {
                moved |= 1L << m.index();
            }
        }
        for (int k = 0; moved != 0 && k < flows.size(); k++) {
            FlowStats fs = flows.get(k);
            long used = used(fs.match(), fs.instructions(), before) & moved;
            if (used != 0) {
                return "tun_metadata" + Long.numberOfTrailingZeros(used) + " is used by a flow of table " + fs.tableId()
                        + " and the new mapping would move its bytes";
            }
        }
        return null;
    }

    /** The {@code tun_metadataN} a rule of match {@code m} and {@code instructions} uses, as a bit set. */
    public static long used(Match m, List<Instruction> instructions, TlvMap map) {
        long used = matched(m, map);
        for (Instruction i : instructions) {
            if (i instanceof Instruction.ApplyActions a) {
                used |= actions(a.actions());
            } else if (i instanceof Instruction.WriteActions w) {
                used |= actions(w.actions());
            }
        }
        return used;
    }

    /** The {@code tun_metadataN} {@code actions} (and the actions nested in them) write or read, as a bit set. */
    public static long actions(List<OfAction> actions) {
        long used = 0;
        for (OfAction a : actions) {
            if (a instanceof OfAction.SetField s) {
                used |= bit(s.field());
            } else if (a instanceof OfAction.Load l) {
                used |= bit(l.dst());
            } else if (a instanceof OfAction.Move m) {
                used |= bit(m.src()) | bit(m.dst());
            } else if (a instanceof OfAction.StackPush p) {
                used |= bit(p.src());
            } else if (a instanceof OfAction.StackPop p) {
                used |= bit(p.dst());
            } else if (a instanceof OfAction.OutputReg o) {
                used |= bit(o.src());
            } else if (a instanceof OfAction.Multipath m) {
                used |= bit(m.dst());
            } else if (a instanceof OfAction.Bundle b) {
                used |= bit(b.dst());
            } else if (a instanceof OfAction.CheckPktLarger c) {
                used |= bit(c.dst());
            } else if (a instanceof OfAction.Clone c) {
                used |= actions(c.actions());
            } else if (a instanceof OfAction.Ct c) {
                used |= actions(c.exec());
            }
        }
        return used;
    }

    private static long bit(FieldRef r) {
        return r == null ? 0 : bit(r.field());
    }

    private static long bit(FlowField f) {
        return f.isTunnelMetadata() ? 1L << f.tunMetadataIndex() : 0;
    }
}
