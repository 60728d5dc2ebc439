package dev.jvswitch.openflow.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import dev.jvswitch.ofproto.tnl.TlvMapScope;

/**
 * {@code set_field:V->tun_metadataN} on the wire. openflowj 3.2.1 cannot read a set-field action
 * whose OXM is {@code NXM_NX_TUN_METADATA<N>}, but it reads Nicira's {@code NXAST_REG_LOAD} with
 * any destination header. So:
 *
 * <ul>
 *   <li>{@link #toStandIns}, before openflowj reads a flow mod: each such set-field (exact, or
 *       with a mask whose 1-bits are contiguous, as OVN's {@code load} of the whole option is)
 *       becomes a {@code reg_load} of the same bits, which is longer, so the instructions and the
 *       message are rewritten; {@link ActionCodec} reads the {@code reg_load} as the set-field.</li>
 *   <li>{@link #fromStandIns}, after a flow's instructions were written: a {@code reg_load} that
 *       sets all 32 bits of a {@code tun_metadataN} (or, in OpenFlow 1.5, any of them) becomes an
 *       {@code OFPAT_SET_FIELD} again, in place: the 24 bytes keep their size, the set-field
 *       padded with zeros, which OVS accepts. In 1.3 and 1.4, where a set-field has no mask, a
 *       partial write becomes OVS's {@code NXAST_REG_LOAD2} (OXM right after the subtype), as
 *       OVS itself sends it; that one is read too.</li>
 * </ul>
 *
 * <pre>
 *  set_field: type 25 (16) | len (16) | NXM header (32) | value (n) | [mask (n)] | zeros to a multiple of 8
 *  reg_load:  type 0xffff (16) | len 24 (16) | vendor 0x2320 (32) | subtype 7 (16)
 *             | ofs (10) | n_bits - 1 (6) | dst NXM header (32) | value (64)
 * </pre>
 *
 * <p>Only a 4-byte option's field takes this path: a set-field into a longer option (whose value
 * a 64-bit stand-in cannot hold) sends its flow mod to the Nicira codec ({@link #isLongOption},
 * {@link NxFlowModWire}), and a rule that sets one is written by {@link NxFlowWriter}.
 *
 * <p>Every length is checked against its container before it is followed. Stateless.
 */
public final class NxTunSetField {
    private static final int OFPAT_SET_FIELD = 25;
    private static final int OFPAT_EXPERIMENTER = 0xffff;
    private static final int NXAST_REG_LOAD = 7;
    private static final int NXAST_REG_LOAD2 = 33;
    /** Where a {@code reg_load2}'s OXM entry starts: right after its subtype. */
    private static final int REG_LOAD2_OXM = 10;
    private static final int REG_LOAD_BYTES = 24;
    private static final int OFPIT_WRITE_ACTIONS = 3;
    private static final int OFPIT_APPLY_ACTIONS = 4;
    private static final int INSTRUCTION_HEADER = 8;

    private NxTunSetField() {
    }

    /** True for the NXM header of a {@code tun_metadataN}. */
    static boolean isTunMetadata(long header) {
        int field = (int) (header >>> 9) & 0x7f;
        return (header >>> 16) == NxTunMetadata.NXM_1 && field >= NxTunMetadata.FIELD_0
                && field < NxTunMetadata.FIELD_0 + NxTunMetadata.FIELDS;
    }

    /**
     * True for the NXM header of a {@code tun_metadataN} whose option the bridge's map in effect
     * ({@link TlvMapScope}) makes longer than 4 bytes: its set-field is read by the Nicira codec.
     */
    static boolean isLongOption(long header) {
        return isTunMetadata(header) && TlvMapScope.current().lengthOf(index(header)) > NxTunMetadata.VALUE_BYTES;
    }

    /** The index N of a {@code tun_metadataN} header. */
    static int index(long header) {
        return ((int) (header >>> 9) & 0x7f) - NxTunMetadata.FIELD_0;
    }

    /** The NXM header of {@code tun_metadata<index>}, unmasked, with the mapped length. */
    static long header(int index) {
        return (long) NxTunMetadata.NXM_1 << 16 | (NxTunMetadata.FIELD_0 + index) << 9 | NxTunMetadata.VALUE_BYTES;
    }

    /**
     * The flow mod in {@code msg} (whole, from its reader index) with its tun_metadata set-fields
     * as {@code reg_load}s, or null if it has none.
     *
     * @throws OfCodecException for such a set-field OVS's encoding cannot come from, or with a
     *                          mask of scattered bits
     */
    public static ByteBuf toStandIns(ByteBuf msg) {
        int base = msg.readerIndex();
        int end = base + Math.min(msg.readableBytes(), msg.getUnsignedShort(base + 2));
        int match = base + OxmScan.FLOW_MOD_MATCH;
        if (match + 4 > end) {
            return null;
        }
        int instructions = match + ((msg.getUnsignedShort(match + 2) + 7) & ~7);
        if (instructions > end || !hasTunSetField(msg, instructions, end)) {
            return null;
        }
        ByteBuf out = Unpooled.buffer(end - base + 64);
        out.writeBytes(msg, base, instructions - base);
        for (int i = instructions; i + INSTRUCTION_HEADER <= end; ) {
            int type = msg.getUnsignedShort(i);
            int len = msg.getUnsignedShort(i + 2);
            if (len < INSTRUCTION_HEADER || i + len > end) {
                out.writeBytes(msg, i, end - i);
                break;
            }
            if (type != OFPIT_WRITE_ACTIONS && type != OFPIT_APPLY_ACTIONS) {
                out.writeBytes(msg, i, len);
            } else {
                int start = out.writerIndex();
                out.writeBytes(msg, i, INSTRUCTION_HEADER);
                actions(msg, i + INSTRUCTION_HEADER, i + len, out);
                out.setShort(start + 2, out.writerIndex() - start);
            }
            i += len;
        }
        out.setShort(2, out.readableBytes());
        return out;
    }

    private static boolean hasTunSetField(ByteBuf b, int from, int end) {
        for (int i = from; i + INSTRUCTION_HEADER <= end; ) {
            int type = b.getUnsignedShort(i);
            int len = b.getUnsignedShort(i + 2);
            if (len < INSTRUCTION_HEADER || i + len > end) {
                return false;
            }
            if (type == OFPIT_WRITE_ACTIONS || type == OFPIT_APPLY_ACTIONS) {
                for (int a = i + INSTRUCTION_HEADER; a + 8 <= i + len; ) {
                    int alen = b.getUnsignedShort(a + 2);
                    if (alen < 8 || a + alen > i + len) {
                        return false;
                    }
                    if (b.getUnsignedShort(a) == OFPAT_SET_FIELD && isTunMetadata(b.getUnsignedInt(a + 4))
                            || isRegLoad2(b, a, alen)) {
                        return true;
                    }
                    a += alen;
                }
            }
            i += len;
        }
        return false;
    }

    private static void actions(ByteBuf b, int from, int to, ByteBuf out) {
        for (int a = from; a + 4 <= to; ) {
            int len = b.getUnsignedShort(a + 2);
            if (len < 4 || a + len > to) {
                out.writeBytes(b, a, to - a);
                return;
            }
            long header = len >= 8 ? b.getUnsignedInt(a + 4) : 0;
            if (b.getUnsignedShort(a) == OFPAT_SET_FIELD && isTunMetadata(header)) {
                regLoad(b, a + 8, a + len, header, out);
            } else if (isRegLoad2(b, a, len)) {
                regLoad(b, a + REG_LOAD2_OXM + 4, a + len, b.getUnsignedInt(a + REG_LOAD2_OXM), out);
            } else {
                out.writeBytes(b, a, len);
            }
            a += len;
        }
    }

    /** True for an {@code NXAST_REG_LOAD2} (what OVS sends in 1.3 and 1.4 for a masked set-field) into a {@code tun_metadataN}. */
    static boolean isRegLoad2(ByteBuf b, int a, int len) {
        return len >= REG_LOAD2_OXM + 4 && b.getUnsignedShort(a) == OFPAT_EXPERIMENTER
                && b.getUnsignedInt(a + 4) == OfError.NX_VENDOR_ID && b.getUnsignedShort(a + 8) == NXAST_REG_LOAD2
                && isTunMetadata(b.getUnsignedInt(a + REG_LOAD2_OXM));
    }

    /** The {@code reg_load} for the NXM entry of {@code header} whose value starts at {@code at}, before {@code end}. */
    private static void regLoad(ByteBuf b, int at, int end, long header, ByteBuf out) {
        boolean hasMask = (header & 0x100) != 0;
        int n = (int) (header & 0xff);
        String name = "tun_metadata" + index(header);
        if (at + n > end || (hasMask && n % 2 != 0)) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_LEN, "set_field on " + name + " of " + n + " bytes");
        }
        int bytes = hasMask ? n / 2 : n;
        long value = number(b, at, bytes, name);
        long mask = hasMask ? number(b, at + bytes, bytes, name) : 0xffff_ffffL;
        if (mask == 0 || Long.bitCount(mask) != 64 - Long.numberOfLeadingZeros(mask) - Long.numberOfTrailingZeros(mask)) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_SET_ARGUMENT, "set_field on " + name
                    + ": a mask of scattered bits (0x" + Long.toHexString(mask) + ") is not supported");
        }
        int ofs = Long.numberOfTrailingZeros(mask);
        int nBits = Long.bitCount(mask);
        out.writeShort(OFPAT_EXPERIMENTER).writeShort(REG_LOAD_BYTES).writeInt((int) OfError.NX_VENDOR_ID)
                .writeShort(NXAST_REG_LOAD).writeShort(ofs << 6 | (nBits - 1)).writeInt((int) header(index(header)))
                .writeLong((value & mask) >>> ofs);
    }

    private static long number(ByteBuf b, int at, int n, String name) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            int x = b.getUnsignedByte(at + i);
            if (i < n - NxTunMetadata.VALUE_BYTES && x != 0) {
                throw new OfCodecException(OfError.BAD_ACTION_BAD_SET_ARGUMENT, "set_field on " + name
                        + " is wider than the 4 bytes of its option");
            }
            v = v << 8 | x;
        }
        return v & 0xffff_ffffL;
    }

    /**
     * After the instructions of a flow in {@code [from, to)} of {@code b} were written for wire
     * version {@code version}: the tun_metadata {@code reg_load}s back to set-fields where the
     * version has one for them (see the class comment).
     */
    public static void fromStandIns(ByteBuf b, int from, int to, int version) {
        for (int i = from; i + INSTRUCTION_HEADER <= to; ) {
            int type = b.getUnsignedShort(i);
            int len = b.getUnsignedShort(i + 2);
            if (len < INSTRUCTION_HEADER || i + len > to) {
                return;
            }
            if (type == OFPIT_WRITE_ACTIONS || type == OFPIT_APPLY_ACTIONS) {
                for (int a = i + INSTRUCTION_HEADER; a + 4 <= i + len; ) {
                    int alen = b.getUnsignedShort(a + 2);
                    if (alen < 4 || a + alen > i + len) {
                        break;
                    }
                    if (alen == REG_LOAD_BYTES && b.getUnsignedShort(a) == OFPAT_EXPERIMENTER
                            && b.getUnsignedInt(a + 4) == OfError.NX_VENDOR_ID
                            && b.getUnsignedShort(a + 8) == NXAST_REG_LOAD && isTunMetadata(b.getUnsignedInt(a + 12))) {
                        toSetField(b, a, version);
                    }
                    a += alen;
                }
            }
            i += len;
        }
    }

    private static void toSetField(ByteBuf b, int a, int version) {
        int ofsNbits = b.getUnsignedShort(a + 10);
        int ofs = ofsNbits >>> 6;
        int nBits = (ofsNbits & 0x3f) + 1;
        long header = b.getUnsignedInt(a + 12);
        long value = b.getLong(a + 16);
        long mask = (nBits >= 32 ? 0xffff_ffffL : (1L << nBits) - 1) << ofs & 0xffff_ffffL;
        boolean exact = mask == 0xffff_ffffL;
        long oxm = header(index(header)) & ~0xffL | (exact ? 4 : 0x108);
        b.setZero(a + 4, REG_LOAD_BYTES - 4);
        int at;
        if (exact || version >= 6) {
            b.setShort(a, OFPAT_SET_FIELD);
            at = a + 4;
        } else {
            // 1.3 and 1.4 have no masked set-field: OVS's reg_load2, same 24 bytes.
            b.setShort(a, OFPAT_EXPERIMENTER);
            b.setInt(a + 4, (int) OfError.NX_VENDOR_ID);
            b.setShort(a + 8, NXAST_REG_LOAD2);
            at = a + REG_LOAD2_OXM;
        }
        b.setShort(a + 2, REG_LOAD_BYTES);
        b.setInt(at, (int) oxm);
        b.setInt(at + 4, (int) ((value << ofs) & mask));
        if (!exact) {
            b.setInt(at + 8, (int) mask);
        }
    }
}
