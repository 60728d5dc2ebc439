package dev.jvswitch.openflow.codec;

import java.util.ArrayList;
import java.util.List;

import org.projectfloodlight.openflow.protocol.OFAggregateStatsRequest;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFMessage;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.action.OptionBytes;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.tnl.OptionText;
import dev.jvswitch.ofproto.tnl.TlvMap;
import dev.jvswitch.ofproto.tnl.TlvMapScope;

/**
 * Geneve option fields on the wire: OVS's {@code NXM_NX_TUN_METADATA0..63} (class 0x0001, fields
 * 40..103), which openflowj 3.2.1 does not know, so it refuses a whole flow mod that has one.
 * Before openflowj reads a flow mod or a flow/aggregate stats request, {@link #strip} takes those
 * entries out of its match (and shortens the message); {@link #attach} then puts them back on the
 * message openflowj made, as an {@link NxMatch} that {@link MatchCodec} reads and that writes
 * them again.
 *
 * <p>The fields are variable-length, as in OVS: {@code ovs-ofctl} sends the fewest bytes that
 * hold the value and mask ({@code tun_metadata0=0} is an entry of length 0, an exact match on 0);
 * the switch sends the mapped option length. A value is right-aligned. A longer option's field
 * is read and written whole through the bridge's TLV map in effect ({@link TlvMapScope}: the
 * channel sets it), its bytes laid into (and gathered from) the key's slots; any other field's
 * bytes above the low 4 must be zero.
 *
 * <pre>
 *  NXM entry: class 0x0001 (16) | field 40+N (7) | hasmask (1) | length (8) | value | [mask]
 * </pre>
 *
 * <p>Stateless.
 */
public final class NxTunMetadata {
    static final int NXM_1 = 0x0001;
    static final int FIELD_0 = 40;
    static final int FIELDS = 64;
    /** Bytes of a {@code tun_metadataN} value this switch maps (its option data length). */
    static final int VALUE_BYTES = 4;
    /** OVS's largest option data, and so the longest value an entry may carry. */
    private static final int MAX_VALUE_BYTES = 124;
    private static final int FLOW_STATS_REQUEST_MATCH = 48;
    private static final int OFPT_MULTIPART_REQUEST = 18;
    private static final int OFPMP_FLOW = 1;
    private static final int OFPMP_AGGREGATE = 2;

    private NxTunMetadata() {
    }

    /**
     * One {@code tun_metadata<index>} entry: value and mask as big-endian bytes of one length
     * (4 for a 4-byte option, the option's length for a longer one), the mask all ones when exact.
     */
    public record Entry(int index, byte[] value, byte[] mask) {
        /** A 4-byte option's entry. */
        public Entry(int index, long value, long mask) {
            this(index, bytes32(value), bytes32(mask));
        }

        boolean exact() {
            for (byte m : mask) {
                if (m != (byte) 0xff) {
                    return false;
                }
            }
            return true;
        }

        void writeTo(ByteBuf b) {
            int n = value.length;
            b.writeShort(NXM_1).writeByte((FIELD_0 + index) << 1 | (exact() ? 0 : 1)).writeByte(exact() ? n : 2 * n);
            b.writeBytes(value);
            if (!exact()) {
                b.writeBytes(mask);
            }
        }

        /** Adds this entry to {@code b}: through the map in effect ({@link TlvMapScope}) for a longer option. */
        void applyTo(Match.Builder b) {
            TlvMap map = TlvMapScope.current();
            if (map.lengthOf(index) > VALUE_BYTES) {
                TlvMapScope.lay(map, index, value, mask, (slot, v, m) -> b.set(FlowField.tunMetadata(slot), v & m, m));
                b.set(FlowField.TUN_METADATA_PRESENT, 1L << index, 1L << index);
            } else {
                long m = low32(mask);
                b.set(FlowField.tunMetadata(index), low32(value) & m, m);
            }
        }

        void putTo(com.google.common.hash.PrimitiveSink sink) {
            sink.putInt(index).putBytes(value).putBytes(mask);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.index == index && java.util.Arrays.equals(e.value, value)
                    && java.util.Arrays.equals(e.mask, mask);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * index + java.util.Arrays.hashCode(value)) + java.util.Arrays.hashCode(mask);
        }

        @Override
        public String toString() {
            return "tun_metadata" + index + "=" + java.util.HexFormat.of().formatHex(value) + "/"
                    + java.util.HexFormat.of().formatHex(mask);
        }
    }

    private static byte[] bytes32(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static long low32(byte[] b) {
        long v = 0;
        for (int i = Math.max(0, b.length - VALUE_BYTES); i < b.length; i++) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v;
    }

    /**
     * The entry of {@code m}'s match on {@code tun_metadata<index>}, or null if it has none: the
     * option's bytes gathered through the map in effect for a longer option, 32 bits otherwise.
     * Null too for a slot that holds a longer option's bytes (that option's entry has them).
     */
    static Entry entryOf(Match m, int index) {
        TlvMap map = TlvMapScope.current();
        if (map.lengthOf(index) > VALUE_BYTES) {
            byte[] mask = OptionText.gather(map, index, slot -> m.mask(FlowField.tunMetadata(slot)));
            if (OptionText.allZero(mask) && (m.value(FlowField.TUN_METADATA_PRESENT) & 1L << index) == 0) {
                return null;
            }
            return new Entry(index, OptionText.gather(map, index, slot -> m.value(FlowField.tunMetadata(slot))), mask);
        }
        FlowField f = FlowField.tunMetadata(index);
        long mask = m.mask(f);
        if (mask == 0 || map.isExtensionSlot(index)) {
            return null;
        }
        return new Entry(index, m.value(f) & mask, mask);
    }

    /** A message with its {@code tun_metadata} entries taken out, and the entries. */
    public record Stripped(ByteBuf frame, List<Entry> entries) {
    }

    /** Offset of the match in the message in {@code frame} if it is one that {@link #strip} handles, or -1. */
    public static int matchOffset(ByteBuf frame, int version) {
        if (version < 4 || frame.readableBytes() < 16) {
            return -1;
        }
        int type = frame.getUnsignedByte(1);
        if (type == 14) {
            return OxmScan.FLOW_MOD_MATCH;
        }
        if (type == OFPT_MULTIPART_REQUEST) {
            int mp = frame.getUnsignedShort(8);
            return mp == OFPMP_FLOW || mp == OFPMP_AGGREGATE ? FLOW_STATS_REQUEST_MATCH : -1;
        }
        return -1;
    }

    /**
     * The message in {@code frame} (from its reader index) without the {@code tun_metadata}
     * entries of its match at {@code matchAt}, or null if it has none (or is malformed: openflowj
     * then refuses it as before).
     *
     * @throws OfCodecException for an entry OVS would refuse: a bad length, a value wider than 4
     *                          bytes, one field given twice, a value with bits outside its mask
     */
    public static Stripped strip(ByteBuf frame, int matchAt) {
        int base = frame.readerIndex();
        int end = base + frame.readableBytes();
        int m = base + matchAt;
        if (m + 4 > end || frame.getUnsignedShort(m) != 1) {
            return null;
        }
        int matchLen = frame.getUnsignedShort(m + 2);
        int matchEnd = m + matchLen;
        int padded = m + ((matchLen + 7) & ~7);
        if (matchLen < 4 || padded > end) {
            return null;
        }
        List<Entry> entries = new ArrayList<>();
        ByteBuf kept = Unpooled.buffer(matchLen);
        long seen = 0;
        for (int p = m + 4; p < matchEnd; ) {
            if (p + 4 > matchEnd) {
                return null;
            }
            int cls = frame.getUnsignedShort(p);
            int fieldAndMask = frame.getUnsignedByte(p + 2);
            int len = frame.getUnsignedByte(p + 3);
            if (p + 4 + len > matchEnd) {
                return null;
            }
            int field = fieldAndMask >>> 1;
            if (cls == NXM_1 && field >= FIELD_0 && field < FIELD_0 + FIELDS) {
                int index = field - FIELD_0;
                if ((seen & (1L << index)) != 0) {
                    throw new OfCodecException(OfError.BAD_MATCH_DUP_FIELD, "match field tun_metadata" + index
                            + " given twice");
                }
                seen |= 1L << index;
                entries.add(entry(frame, p + 4, len, (fieldAndMask & 1) != 0, index));
            } else {
                kept.writeBytes(frame, p, 4 + len);
            }
            p += 4 + len;
        }
        if (entries.isEmpty()) {
            kept.release();
            return null;
        }
        int newLen = 4 + kept.readableBytes();
        ByteBuf out = Unpooled.buffer(end - base);
        out.writeBytes(frame, base, matchAt);
        out.writeShort(1).writeShort(newLen).writeBytes(kept).writeZero(((newLen + 7) & ~7) - newLen);
        out.writeBytes(frame, padded, end - padded);
        out.setShort(2, out.readableBytes());
        kept.release();
        return new Stripped(out, List.copyOf(entries));
    }

    /**
     * The entry of {@code len} bytes at {@code at} (value, then mask if {@code hasMask}).
     *
     * @throws OfCodecException as {@link #strip}
     */
    static Entry entry(ByteBuf b, int at, int len, boolean hasMask, int index) {
        String name = "tun_metadata" + index;
        if (hasMask ? len % 2 != 0 || len / 2 > MAX_VALUE_BYTES : len > MAX_VALUE_BYTES) {
            throw new OfCodecException(OfError.BAD_MATCH_BAD_LEN, "match field " + name + " of " + len + " bytes");
        }
        int n = hasMask ? len / 2 : len;
        int width = Math.max(VALUE_BYTES, TlvMapScope.current().lengthOf(index));
        byte[] value = bytes(b, at, n, width, name);
        byte[] mask = hasMask ? bytes(b, at + n, n, width, name) : ones(width);
        for (int i = 0; i < width; i++) {
            if ((value[i] & ~mask[i]) != 0) {
                throw new OfCodecException(OfError.BAD_MATCH_BAD_VALUE, "match field " + name
                        + " has 1-bits in its value where its mask has 0-bits");
            }
        }
        return new Entry(index, value, mask);
    }

    /**
     * The right-aligned big-endian number of {@code n} bytes at {@code at} as {@code width} bytes;
     * bytes above those must be 0 ({@code width} is the option's length, 4 if the map in effect
     * does not name a longer one).
     */
    private static byte[] bytes(ByteBuf b, int at, int n, int width, String name) {
        byte[] out = new byte[width];
        for (int i = 0; i < n; i++) {
            int x = b.getUnsignedByte(at + i);
            int k = width - n + i;
            if (k < 0) {
                if (x != 0) {
                    throw new OfCodecException(OfError.BAD_MATCH_BAD_VALUE, "match field " + name
                            + " is wider than the " + width + " bytes of its option");
                }
                continue;
            }
            out[k] = (byte) x;
        }
        return out;
    }

    private static byte[] ones(int width) {
        byte[] out = new byte[width];
        java.util.Arrays.fill(out, (byte) 0xff);
        return out;
    }

    /**
     * A set-field (or {@code reg_load2}) into {@code field}, a {@code tun_metadataN}, whose NXM
     * entry has header {@code header} and its value at {@code at}, before {@code end}: as long as
     * the header says (OVS writes the fewest bytes that hold value and mask), right-aligned.
     *
     * <p>The value is as wide as the option the map in effect names (4 bytes if none names it).
     *
     * @throws OfCodecException past {@code end}, for a value wider than its option or an empty mask
     */
    static OfAction setField(ByteBuf b, int at, int end, FlowField field, long header) {
        boolean hasMask = (header & 0x100) != 0;
        int len = (int) (header & 0xff);
        String name = field.ovsName();
        if (at + len > end || hasMask && len % 2 != 0 || len > (hasMask ? 2 : 1) * MAX_VALUE_BYTES) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_LEN, "set_field on " + name + " of " + len + " bytes");
        }
        int n = hasMask ? len / 2 : len;
        int width = TlvMapScope.current().lengthOf(field.tunMetadataIndex());
        if (width > VALUE_BYTES) {
            // A longer option, whole: as wide as the map makes it (OVS's variable-length field).
            byte[] value;
            byte[] mask;
            try {
                value = bytes(b, at, n, width, name);
                mask = hasMask ? bytes(b, at + n, n, width, name) : ones(width);
            } catch (OfCodecException e) {
                throw new OfCodecException(OfError.BAD_ACTION_BAD_SET_ARGUMENT, e.getMessage());
            }
            if (OptionText.allZero(mask)) {
                throw new OfCodecException(OfError.BAD_ACTION_BAD_SET_ARGUMENT, "set_field on " + name
                        + " with an empty mask");
            }
            return OptionBytes.setField(field, value, mask);
        }
        long value;
        long mask;
        try {
            value = number(b, at, n, name);
            mask = hasMask ? number(b, at + n, n, name) : 0xffff_ffffL;
        } catch (OfCodecException e) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_SET_ARGUMENT, e.getMessage());
        }
        if (mask == 0) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_SET_ARGUMENT, "set_field on " + name + " with an empty mask");
        }
        return mask == 0xffff_ffffL ? OfAction.SetField.exact(field, value) : OfAction.SetField.masked(field, value & mask, mask);
    }

    /** The right-aligned big-endian number of {@code n} bytes at {@code at}; bytes above the low 4 must be 0. */
    private static long number(ByteBuf b, int at, int n, String name) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            int x = b.getUnsignedByte(at + i);
            if (i < n - VALUE_BYTES && x != 0) {
                throw new OfCodecException(OfError.BAD_MATCH_BAD_VALUE, "match field " + name
                        + " is wider than the 4 bytes of its option");
            }
            v = v << 8 | x;
        }
        return v & 0xffff_ffffL;
    }

    /** {@code m} (what openflowj read of a stripped message) with {@code entries} back on its match. */
    public static OFMessage attach(OFMessage m, List<Entry> entries) {
        if (m instanceof OFFlowMod fm) {
            return fm.createBuilder().setMatch(new NxMatch(fm.getMatch(), entries)).build();
        }
        if (m instanceof OFFlowStatsRequest r) {
            return r.createBuilder().setMatch(new NxMatch(r.getMatch(), entries)).build();
        }
        if (m instanceof OFAggregateStatsRequest r) {
            return r.createBuilder().setMatch(new NxMatch(r.getMatch(), entries)).build();
        }
        return m;
    }
}
