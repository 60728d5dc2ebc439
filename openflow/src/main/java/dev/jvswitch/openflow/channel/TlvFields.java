package dev.jvswitch.openflow.channel;

import java.util.List;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.Instruction;
import dev.jvswitch.ofproto.tnl.TlvMap;
import dev.jvswitch.ofproto.tnl.TlvUse;
import dev.jvswitch.openflow.codec.OfCodecException;
import dev.jvswitch.openflow.codec.OfError;

/**
 * The {@code tun_metadataN} a flow mod names, checked against the bridge's TLV map as OVS checks
 * its variable-length fields when it decodes a flow mod: a match on, or an action that writes or
 * reads, a field the map does not name is {@code NXFMFC_INVALID_TLV_FIELD}. For a write this is
 * more than form: the slot of an unmapped {@code tun_metadataN} may hold a longer option's bytes
 * ({@link TlvMap#isExtensionSlot}), which such a write would overwrite on the way out.
 *
 * <p>Stateless.
 */
final class TlvFields {
    private TlvFields() {
    }

    /**
     * {@code mod}, if every {@code tun_metadataN} its match and actions name is mapped by
     * {@code map}, and every one it sets whole is a 4-byte option (what this channel's codec
     * carries in a set-field).
     *
     * @throws OfCodecException {@code NXFMFC_INVALID_TLV_FIELD} naming the field
     */
    static FlowMod check(FlowMod mod, TlvMap map) {
        long used = TlvUse.used(mod.match(), mod.instructions(), map);
        long setWhole = 0;
        for (Instruction i : mod.instructions()) {
            if (i instanceof Instruction.ApplyActions a) {
                setWhole |= setFields(a.actions());
            } else if (i instanceof Instruction.WriteActions w) {
                setWhole |= setFields(w.actions());
            }
        }
        for (int i = 0; used != 0 && i < TlvMap.MAX_FIELDS; i++) {
            long bit = 1L << i;
            if ((used & bit) != 0 && !map.isMapped(i)) {
                throw new OfCodecException(OfError.NXFMFC_INVALID_TLV_FIELD, "tun_metadata" + i
                        + " is not mapped by the bridge's TLV map");
            }
            if ((setWhole & bit) != 0 && map.lengthOf(i) > TlvMap.SLOT_BYTES) {
                // The wire codec carries 4 bytes of a set-field: a whole longer option would be cut.
                throw new OfCodecException(OfError.NXFMFC_INVALID_TLV_FIELD, "tun_metadata" + i + " maps an option of "
                        + map.lengthOf(i) + " bytes: over OpenFlow this switch sets 4-byte options only"
                        + " (load and move of its low 32 bits work)");
            }
        }
        return mod;
    }

    /**
     * The {@code tun_metadataN} {@code actions} (and those nested in them) set whole: a
     * {@code set_field} not masked to some of the low 32 bits (which is a {@code load}).
     */
    private static long setFields(List<OfAction> actions) {
        long used = 0;
        for (OfAction a : actions) {
            if (a instanceof OfAction.SetField s && (s.maskHigh() != 0 || s.mask() >>> 32 != 0
                    || s.mask() == 0xffff_ffffL)) {
                used |= bit(s.field());
            } else if (a instanceof OfAction.Clone c) {
                used |= setFields(c.actions());
            } else if (a instanceof OfAction.Ct c) {
                used |= setFields(c.exec());
            }
        }
        return used;
    }

    private static long bit(FlowField f) {
        return f.isTunnelMetadata() ? 1L << f.tunMetadataIndex() : 0;
    }
}
