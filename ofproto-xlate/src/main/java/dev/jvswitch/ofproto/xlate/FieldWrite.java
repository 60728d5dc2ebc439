package dev.jvswitch.ofproto.xlate;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowPrereq;
import dev.jvswitch.ofproto.action.FieldRef;
import dev.jvswitch.ofproto.action.OptionBytes;
import dev.jvswitch.ofproto.tnl.TlvMap;

/**
 * Reading and writing bits of the flow for {@code set_field}, {@code load} and {@code move},
 * keeping the megaflow mask honest: every bit read goes into the mask, every bit written goes
 * into the mask and into {@code written} (so {@link Commit} knows which bits an action owns).
 *
 * <p>A {@link FieldRef}'s bit 0 is the least significant bit of the field; for a 128-bit field
 * that is bit 0 of its second (low) word.
 */
final class FieldWrite {
    private static final int PRESENT_WORD = FlowField.TUN_METADATA_PRESENT.word();

    private FieldWrite() {
    }

    /**
     * OVS's {@code mf_are_prereqs_ok} with wildcards: whether the flow has {@code f}'s header,
     * putting the fields that decide it into the mask.
     */
    static boolean prereqsOk(XlateContext c, FlowField f) {
        FlowPrereq p = f.prereq();
        switch (p) {
            case NONE:
                return true;
            case ARP:
            case IPV4:
            case IPV6:
            case IP_ANY:
                break; // eth_type is always in the mask
            case ND:
            case ND_SOLICIT:
            case ND_ADVERT:
                c.wc.exact(FlowField.NW_PROTO);
                c.wc.exact(FlowField.ICMPV6_TYPE);
                c.wc.exact(FlowField.ICMPV6_CODE);
                break;
            default:
                c.wc.exact(FlowField.NW_PROTO);
        }
        return p.isMet(c.flow);
    }

    /** Sets the bits of {@code mask} of a field of at most 64 bits to those of {@code value}. */
    static void write(XlateContext c, FlowField f, long value, long mask) {
        if (f.isTunnelMetadata()) {
            writeTunMetadata(c, f, 0, value, 0, mask);
            return;
        }
        writeWord(c, f, value, mask);
        if (f.canonical() == FlowField.VLAN_TCI) {
            fixVlanTpid(c);
        }
    }

    private static void writeWord(XlateContext c, FlowField f, long value, long mask) {
        int w = f.word();
        long m = (mask & f.valueMask()) << f.shift();
        long[] words = c.flow.words();
        words[w] = (words[w] & ~m) | ((value << f.shift()) & m);
        c.wc.words()[w] |= m;
        c.written.words()[w] |= m;
    }

    /**
     * A {@code set_field} into {@code tun_metadataN} (OVS's {@code tun_metadata_write}): the
     * option's value {@code high:low} under the mask, its last 4 bytes into the field's own slot
     * and the bytes before them (an option of 8 to 124 bytes) into the slots the bridge's TLV map
     * gives them. A field the map does not name is not written: its slot may hold another
     * option's bytes, and OVS ignores such a write too.
     */
    static void writeTunMetadata(XlateContext c, FlowField f, long high, long low, long maskHigh, long maskLow) {
        writeTunMetadata(c, f, high, low, maskHigh, maskLow, null);
    }

    /** As above; an option longer than 16 bytes has its bytes in {@code wide} (else null). */
    static void writeTunMetadata(XlateContext c, FlowField f, long high, long low, long maskHigh, long maskLow,
            OptionBytes wide) {
        TlvMap map = c.tunnels.tlvMap(c.bridgeName());
        int index = f.tunMetadataIndex();
        int n = map.slotCount(index);
        if (n == 0) {
            return;
        }
        for (int j = 0; j < n; j++) {
            int chunk = n - 1 - j; // 32-bit chunks from the value's least significant end
            long m = wide != null ? wide.maskChunk(chunk) : chunk32(maskHigh, maskLow, chunk);
            if (m != 0) {
                long v = wide != null ? wide.valueChunk(chunk) : chunk32(high, low, chunk);
                writeWord(c, FlowField.tunMetadata(map.slotAt(index, j)), v, m);
            }
        }
        present(c, f);
    }

    /** The {@code chunk}-th 32 bits of the 128-bit {@code high:low} from its low end (0 past 128 bits). */
    private static long chunk32(long high, long low, int chunk) {
        return chunk >= 4 ? 0 : ((chunk < 2 ? low : high) >>> (32 * (chunk & 1))) & 0xffff_ffffL;
    }

    /** True if a write into {@code f} may go ahead: any field but a {@code tun_metadataN} the bridge's map does not name. */
    private static boolean writable(XlateContext c, FlowField f) {
        return !f.isTunnelMetadata() || c.tunnels.tlvMap(c.bridgeName()).isMapped(f.tunMetadataIndex());
    }

    /**
     * A written {@code tun_metadataN} is present (OVS's {@code tun_metadata_write}): an output to
     * a Geneve port sends its option, and a later rule on it may match.
     */
    private static void present(XlateContext c, FlowField f) {
        long[] words = c.flow.words();
        words[PRESENT_WORD] |= 1L << f.tunMetadataIndex();
    }

    /** Sets the bits of a 128-bit field selected by the mask words. */
    static void write128(XlateContext c, FlowField f, long high, long low, long maskHigh, long maskLow) {
        long[] words = c.flow.words();
        int w = f.word();
        words[w] = (words[w] & ~maskHigh) | (high & maskHigh);
        words[w + 1] = (words[w + 1] & ~maskLow) | (low & maskLow);
        c.wc.words()[w] |= maskHigh;
        c.wc.words()[w + 1] |= maskLow;
        c.written.words()[w] |= maskHigh;
        c.written.words()[w + 1] |= maskLow;
    }

    /** Bits {@code [r.start, r.start + n)} of the field, n at most 64, put into the mask. */
    static long read(XlateContext c, FieldRef r, int offset, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            int bit = r.start() + offset + i;
            int word = wordOf(r.field(), bit);
            int shift = shiftOf(r.field(), bit);
            v |= ((c.flow.words()[word] >>> shift) & 1L) << i;
            c.wc.words()[word] |= 1L << shift;
        }
        return v;
    }

    /** Writes the low {@code n} bits of {@code v} into bits {@code [r.start + offset, ...)}. */
    static void writeBits(XlateContext c, FieldRef r, int offset, int n, long v) {
        if (!writable(c, r.field())) {
            return;
        }
        long[] words = c.flow.words();
        for (int i = 0; i < n; i++) {
            int bit = r.start() + offset + i;
            int word = wordOf(r.field(), bit);
            long m = 1L << shiftOf(r.field(), bit);
            words[word] = ((v >>> i) & 1L) != 0 ? words[word] | m : words[word] & ~m;
            c.wc.words()[word] |= m;
            c.written.words()[word] |= m;
        }
        if (r.field().canonical() == FlowField.VLAN_TCI) {
            fixVlanTpid(c);
        } else if (r.field().isTunnelMetadata() && n > 0) {
            present(c, r.field());
        }
    }

    /** {@code move}: copies {@code src}'s bits to {@code dst}, 64 at a time. */
    static void move(XlateContext c, FieldRef src, FieldRef dst) {
        for (int off = 0; off < src.nBits(); off += 64) {
            int n = Math.min(64, src.nBits() - off);
            writeBits(c, dst, off, n, read(c, src, off, n));
        }
    }

    private static int wordOf(FlowField f, int bit) {
        return f.is128() ? f.word() + (bit < 64 ? 1 : 0) : f.word();
    }

    private static int shiftOf(FlowField f, int bit) {
        return f.is128() ? bit & 63 : f.shift() + bit;
    }

    /**
     * A written VLAN TCI with the "present" bit needs a TPID (OVS's {@code flow_fix_vlan_tpid});
     * the whole VLAN word then decides the commit, so it all goes into the mask.
     */
    private static void fixVlanTpid(XlateContext c) {
        c.unwildcardVlans();
        FlowKey f = c.flow;
        if ((f.get(FlowField.VLAN_TCI) & FlowKey.VLAN_CFI) != 0 && f.get(FlowField.VLAN_TPID) == 0) {
            f.set(FlowField.VLAN_TPID, FlowKey.ETH_TYPE_VLAN_8021Q);
        }
    }
}
