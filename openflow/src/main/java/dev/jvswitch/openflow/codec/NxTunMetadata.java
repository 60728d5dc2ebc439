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
 * the switch sends the mapped option length. A value is right-aligned; this switch maps 4-byte
 * options, so bytes above the low 4 must be zero.
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

    /** One {@code tun_metadata<index>} entry: 32-bit value and mask ({@code mask} all ones when exact). */
    public record Entry(int index, long value, long mask) {
        boolean exact() {
            return mask == 0xffff_ffffL;
        }

        void writeTo(ByteBuf b) {
            b.writeShort(NXM_1).writeByte((FIELD_0 + index) << 1 | (exact() ? 0 : 1))
                    .writeByte(exact() ? VALUE_BYTES : 2 * VALUE_BYTES);
            b.writeInt((int) value);
            if (!exact()) {
                b.writeInt((int) mask);
            }
        }
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
        long value = number(b, at, n, name);
        long mask = hasMask ? number(b, at + n, n, name) : 0xffff_ffffL;
        if ((value & ~mask) != 0) {
            throw new OfCodecException(OfError.BAD_MATCH_BAD_VALUE, "match field " + name
                    + " has 1-bits in its value where its mask has 0-bits");
        }
        return new Entry(index, value, mask);
    }

    /**
     * A set-field (or {@code reg_load2}) into {@code field}, a {@code tun_metadataN}, whose NXM
     * entry has header {@code header} and its value at {@code at}, before {@code end}: as long as
     * the header says (OVS writes the fewest bytes that hold value and mask), right-aligned.
     *
     * @throws OfCodecException past {@code end}, for a value wider than 4 bytes or an empty mask
     */
    static OfAction setField(ByteBuf b, int at, int end, FlowField field, long header) {
        boolean hasMask = (header & 0x100) != 0;
        int len = (int) (header & 0xff);
        String name = field.ovsName();
        if (at + len > end || hasMask && len % 2 != 0 || len > (hasMask ? 2 : 1) * MAX_VALUE_BYTES) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_LEN, "set_field on " + name + " of " + len + " bytes");
        }
        int n = hasMask ? len / 2 : len;
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
