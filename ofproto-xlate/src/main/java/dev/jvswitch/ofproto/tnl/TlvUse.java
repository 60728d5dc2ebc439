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
 * name, and every path that changes a map refuses a change that pulls a mapping from under a
 * flow ({@link #change}).
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
     * Why a bridge's map may not go from {@code before} to {@code after} while {@code flows} are
     * its rules, or null if it may: the one check every path that changes a map makes (the
     * OpenFlow channel's {@code NXT_TLV_TABLE_MOD}, {@code ofctl/add-tlv-map} and
     * {@code del-tlv-map}, a config reload's {@code tlv-map}).
     *
     * <ul>
     *   <li>A mapping a flow uses that {@code after} drops (or maps to another option): the flow
     *       would be left on a field the map no longer names, its bytes in slots a later mapping
     *       may take. OVS refuses such a delete ({@code NXTTMFC_INVALID_TLV_DEL}).</li>
     *   <li>A mapping a flow uses whose slots {@code after} moves: a new mapping whose own slot
     *       held a longer option's bytes moves them ({@link TlvMap#add}), and a rule laid out in
     *       the old slots would then match and set the wrong bytes. Refused as OVS refuses an
     *       option it has no room for ({@code NXTTMFC_TABLE_FULL}): the room is there only by
     *       moving one in use.</li>
     * </ul>
     */
    public static Refusal change(List<FlowStats> flows, TlvMap before, TlvMap after) {
        long gone = 0;
        long moved = 0;
        for (TlvMap.Mapping m : before.mappings()) {
            if (!after.mappings().contains(m)) {
                gone |= 1L << m.index();
            } else if (!java.util.Arrays.equals(before.slotsOf(m.index()), after.slotsOf(m.index()))) {
                moved |= 1L << m.index();
            }
        }
        for (int k = 0; (gone | moved) != 0 && k < flows.size(); k++) {
            FlowStats fs = flows.get(k);
            long used = used(fs.match(), fs.instructions(), before);
            if ((used & gone) != 0) {
                return new Refusal(true, "tun_metadata" + Long.numberOfTrailingZeros(used & gone)
                        + " is used by a flow of table " + fs.tableId());
            }
            if ((used & moved) != 0) {
                return new Refusal(false, "tun_metadata" + Long.numberOfTrailingZeros(used & moved)
                        + " is used by a flow of table " + fs.tableId() + " and the new mapping would move its bytes");
            }
        }
        return null;
    }

    /**
     * A refused map change: {@code deleted} if a mapping in use would go (else its bytes would
     * move), and why, naming the field and the flow's table.
     */
    public record Refusal(boolean deleted, String reason) {
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
