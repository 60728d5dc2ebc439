package dev.jvswitch.openflow.channel;

import dev.jvswitch.ofproto.mod.FlowMod;
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
     * {@code map}.
     *
     * @throws OfCodecException {@code NXFMFC_INVALID_TLV_FIELD} naming the field
     */
    static FlowMod check(FlowMod mod, TlvMap map) {
        long used = TlvUse.used(mod.match(), mod.instructions(), map);
        for (int i = 0; used != 0 && i < TlvMap.MAX_FIELDS; i++) {
            long bit = 1L << i;
            if ((used & bit) != 0 && !map.isMapped(i)) {
                throw new OfCodecException(OfError.NXFMFC_INVALID_TLV_FIELD, "tun_metadata" + i
                        + " is not mapped by the bridge's TLV map");
            }
        }
        return mod;
    }
}
