package dev.jvswitch.ofproto.tnl;

import java.util.Arrays;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.pmd.tunnel.UdpTunnel;

/**
 * Geneve options between their two forms in the flow key (OVS's {@code tun_metadata_from_geneve_udpif}
 * and {@code tun_metadata_to_geneve_header}):
 *
 * <ul>
 *   <li>{@link #fromRaw}, when a popped packet enters its tunnel port's bridge: the raw options the
 *       datapath key carries become {@code tun_metadataN} by the bridge's {@link TlvMap} (a
 *       longer option's bytes before its last 4 in the slots the map gives it); an
 *       option the map does not name is skipped, unless its type has the critical bit, which
 *       drops the packet (as OVS). The megaflow then matches the {@code UDPIF} flag, the options'
 *       length and every option's header exactly (so which options a packet has, and where, is
 *       fixed), and of an option's data only the bits the tables looked at through its
 *       {@code tun_metadataN} (none of an unmapped option's), as OVS's
 *       {@code tun_metadata_to_geneve_mask}: {@link TunnelScratch#finishMask}. Packets without
 *       options (VXLAN, plain) are not affected.</li>
 *   <li>{@link #toRaw}, on output to a Geneve port: the options to push, in the order of the
 *       map's indices, for each {@code tun_metadataN} the map names that is present
 *       ({@link FlowField#TUN_METADATA_PRESENT}: the packet brought it, or a {@code set_field}
 *       wrote it), whatever its value; an absent one is not sent.</li>
 * </ul>
 *
 * Neither allocates: the raw words go through the thread's {@link TunnelScratch}.
 */
final class TunnelMetadata {
    private static final int CRITICAL = 0x80;
    private static final int[] NO_SLOTS = new int[0];

    private TunnelMetadata() {
    }

    /**
     * Converts the flow's raw options through {@code map}.
     *
     * @return false to drop the packet (an unknown critical option)
     */
    static boolean fromRaw(TunnelContext ctx, TlvMap map) {
        FlowKey f = ctx.flow();
        if ((f.get(FlowField.TUN_FLAGS) & UdpTunnel.FLAG_UDPIF) == 0) {
            return true;
        }
        FlowMask wc = ctx.wc();
        wc.bits(FlowField.TUN_FLAGS, wc.get(FlowField.TUN_FLAGS) | UdpTunnel.FLAG_UDPIF);
        wc.exact(FlowField.TUN_METADATA_LEN);
        int len = f.tunnelOptionsLength();
        long[] w = f.words();
        TunnelScratch scratch = ctx.tunnelScratch();
        long[] raw = scratch.rawOptions;
        int n = (len + 7) >>> 3;
        for (int i = 0; i < n; i++) {
            raw[i] = w[FlowKey.TUN_METADATA_WORD + i];
        }
        Arrays.fill(w, FlowKey.TUN_METADATA_WORD, FlowKey.PIPELINE_WORD, 0L);
        f.tunnelMetadataWritten();
        // Until the translation ends, the mask's metadata words are in the tun_metadataN form;
        // TunnelScratch#finishMask then makes them the raw form's, option by option.
        scratch.options = 0;
        scratch.udpifLength = len;
        long present = 0;
        int i = 0;
        while (i + 4 <= len) {
            int h = int32(raw, i);
            int cls = h >>> 16;
            int type = (h >>> 8) & 0xff;
            int dataLen = (h & 0x1f) * 4;
            if (i + 4 + dataLen > len) {
                ctx.warn("dropping packet with malformed geneve options");
                return false;
            }
            int k = map.find(cls, type, dataLen);
            int index = k < 0 ? -1 : map.get(k).index();
            int[] extension = k < 0 ? NO_SLOTS : map.extensionSlots(k);
            scratch.optionAt[scratch.options] = i;
            scratch.optionLength[scratch.options] = dataLen;
            scratch.optionExtension[scratch.options] = extension;
            scratch.optionIndex[scratch.options++] = index;
            if (index >= 0) {
                // Its last 4 bytes in its own slot, the ones before them in the map's other slots.
                if (dataLen >= TlvMap.SLOT_BYTES) {
                    f.set(FlowField.tunMetadata(index), int32(raw, i + dataLen) & 0xffff_ffffL);
                }
                for (int j = 0; j < extension.length; j++) {
                    f.set(FlowField.tunMetadata(extension[j]), int32(raw, i + 4 + 4 * j) & 0xffff_ffffL);
                }
                present |= 1L << index;
            } else if ((type & CRITICAL) != 0) {
                if (ctx.tracing()) {
                    ctx.warn("dropping packet with unknown critical geneve option (class=0x"
                            + Integer.toHexString(cls) + ", type=0x" + Integer.toHexString(type) + ")");
                }
                return false;
            }
            i += 4 + dataLen;
        }
        f.set(FlowField.TUN_METADATA_PRESENT, present);
        return true;
    }

    /**
     * Writes the options to push for the flow's {@code tun_metadataN} into {@code out},
     * unwildcarding the fields it reads.
     *
     * @return the options' length in bytes, or -1 if they are longer than {@code limit}
     */
    static int toRaw(TunnelContext ctx, TlvMap map, byte[] out, int limit) {
        FlowKey f = ctx.flow();
        FlowMask wc = ctx.wc();
        int len = 0;
        long present = f.get(FlowField.TUN_METADATA_PRESENT);
        for (int k = 0; k < map.size() && present != 0; k++) {
            TlvMap.Mapping mapping = map.get(k);
            if ((present & 1L << mapping.index()) == 0) {
                continue;
            }
            int dataLen = mapping.length();
            if (len + 4 + dataLen > Math.min(limit, out.length)) {
                return -1;
            }
            putInt(out, len, mapping.optionClass() << 16 | mapping.type() << 8 | dataLen / 4);
            int[] extension = map.extensionSlots(k);
            for (int j = 0; j < extension.length; j++) {
                putInt(out, len + 4 + 4 * j, slot(f, wc, extension[j]));
            }
            if (dataLen >= TlvMap.SLOT_BYTES) {
                putInt(out, len + dataLen, slot(f, wc, mapping.index()));
            }
            len += 4 + dataLen;
        }
        return len;
    }

    /** The 32 bits of slot {@code slot}, which the megaflow then matches. */
    private static int slot(FlowKey f, FlowMask wc, int slot) {
        FlowField field = FlowField.tunMetadata(slot);
        wc.exact(field);
        return (int) f.get(field);
    }

    /** The big-endian 32 bits at byte {@code at} (a multiple of 4) of words {@code raw}. */
    private static int int32(long[] raw, int at) {
        long word = raw[at >>> 3];
        return (int) ((at & 4) == 0 ? word >>> 32 : word);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
