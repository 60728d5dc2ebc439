package dev.jvswitch.openflow.codec;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import dev.jvswitch.ofproto.tnl.TlvMap;

/**
 * Nicira's TLV table messages (OVS's {@code NXT_TLV_TABLE_MOD}, {@code _REQUEST}, {@code _REPLY}),
 * which edit and read a bridge's {@link TlvMap}: what {@code ovs-ofctl add-tlv-map},
 * {@code del-tlv-map} and {@code dump-tlv-map} send, and what OVN's controller sends before its
 * first flow that matches a Geneve option. openflowj 3.2.1 has none of them, so they are read and
 * written here.
 *
 * <pre>
 *  nicira header:  ofp_header (8, type 4 OFPT_EXPERIMENTER) | vendor 0x2320 (32) | subtype (32)
 *  TLV_TABLE_MOD (subtype 24):     command (16) | pad (48) | nx_tlv_map[]
 *  TLV_TABLE_REQUEST (subtype 25): nothing
 *  TLV_TABLE_REPLY (subtype 26):   max_option_space (32) | max_fields (16) | reserved (80) | nx_tlv_map[]
 *  nx_tlv_map:     option_class (16) | option_type (8) | option_len (8) | index (16) | pad (16)
 * </pre>
 *
 * <p>Decoding checks what OVS's {@code ofputil_decode_tlv_table_mod} checks, with its errors:
 * the command ({@code NXTTMFC_BAD_COMMAND}), each length ({@code NXTTMFC_BAD_OPT_LEN}) and index
 * ({@code NXTTMFC_BAD_FIELD_IDX}). Stateless.
 */
public final class TlvTableWire {
    /** {@code OFPT_EXPERIMENTER} (OpenFlow 1.0's {@code OFPT_VENDOR}). */
    public static final int TYPE_EXPERIMENTER = 4;
    public static final int NXT_TLV_TABLE_MOD = 24;
    public static final int NXT_TLV_TABLE_REQUEST = 25;
    public static final int NXT_TLV_TABLE_REPLY = 26;
    /** {@code NXTTMC_ADD}: new mappings; fails if an index or an option is already mapped. */
    public static final int ADD = 0;
    /** {@code NXTTMC_DELETE}: removes mappings by index; unmapped indices are ignored. */
    public static final int DELETE = 1;
    /** {@code NXTTMC_CLEAR}: removes every mapping. */
    public static final int CLEAR = 2;
    /** Bytes of the Nicira header. */
    public static final int NX_HEADER = 16;
    private static final int MOD_FIXED = 8;
    private static final int REPLY_FIXED = 16;
    private static final int MAP_BYTES = 8;
    private static final int MAX_OPTION_BYTES = 124;

    /** A decoded {@code NXT_TLV_TABLE_MOD}: its command and mappings. */
    public record Mod(int command, List<TlvMap.Mapping> mappings) {
        /** The indices the mappings name (what a delete uses). */
        public List<Integer> indices() {
            List<Integer> out = new ArrayList<>(mappings.size());
            for (TlvMap.Mapping m : mappings) {
                out.add(m.index());
            }
            return out;
        }
    }

    private TlvTableWire() {
    }

    /** The Nicira subtype of the message in {@code frame}, or -1 if it is not a Nicira message. */
    public static int nxSubtype(ByteBuf frame) {
        if (frame.readableBytes() < NX_HEADER || frame.getUnsignedByte(1) != TYPE_EXPERIMENTER
                || frame.getUnsignedInt(8) != OfError.NX_VENDOR_ID) {
            return -1;
        }
        return (int) Math.min(Integer.MAX_VALUE, frame.getUnsignedInt(12));
    }

    /**
     * The {@code NXT_TLV_TABLE_MOD} in {@code frame} (the whole message from index 0).
     *
     * @throws OfCodecException with OVS's error for what is wrong
     */
    public static Mod decodeMod(ByteBuf frame) {
        int end = frame.readableBytes();
        if (end < NX_HEADER + MOD_FIXED || (end - NX_HEADER - MOD_FIXED) % MAP_BYTES != 0) {
            throw new OfCodecException(OfError.BAD_REQUEST_BAD_LEN, "NXT_TLV_TABLE_MOD of " + end + " bytes");
        }
        int command = frame.getUnsignedShort(NX_HEADER);
        if (command > CLEAR) {
            throw new OfCodecException(OfError.NXTTMFC_BAD_COMMAND, "tlv table mod command (" + command
                    + ") is out of range");
        }
        List<TlvMap.Mapping> mappings = new ArrayList<>();
        for (int at = NX_HEADER + MOD_FIXED; at < end; at += MAP_BYTES) {
            int cls = frame.getUnsignedShort(at);
            int type = frame.getUnsignedByte(at + 2);
            int len = frame.getUnsignedByte(at + 3);
            int index = frame.getUnsignedShort(at + 4);
            if (len % 4 != 0 || len > MAX_OPTION_BYTES) {
                throw new OfCodecException(OfError.NXTTMFC_BAD_OPT_LEN, "tlv table option length (" + len
                        + ") is not a valid option size");
            }
            if (index >= TlvMap.MAX_FIELDS) {
                throw new OfCodecException(OfError.NXTTMFC_BAD_FIELD_IDX, "tlv table field index (" + index
                        + ") is too large (max " + (TlvMap.MAX_FIELDS - 1) + ")");
            }
            mappings.add(new TlvMap.Mapping(cls, type, len, index));
        }
        return new Mod(command, List.copyOf(mappings));
    }

    /** The {@code NXT_TLV_TABLE_MOD} for {@code mod} (what a controller sends; for tests and tools). */
    public static ByteBuf encodeMod(ByteBufAllocator alloc, int version, long xid, Mod mod) {
        ByteBuf b = nxHeader(alloc, version, xid, NXT_TLV_TABLE_MOD, MOD_FIXED + mod.mappings().size() * MAP_BYTES);
        b.writeShort(mod.command()).writeZero(6);
        maps(b, mod.mappings());
        return b;
    }

    /** The {@code NXT_TLV_TABLE_REPLY} to request {@code xid}: the switch's limits and {@code map}. */
    public static ByteBuf encodeReply(ByteBufAllocator alloc, int version, long xid, TlvMap map) {
        ByteBuf b = nxHeader(alloc, version, xid, NXT_TLV_TABLE_REPLY, REPLY_FIXED + map.size() * MAP_BYTES);
        b.writeInt(TlvMap.MAX_OPTION_SPACE).writeShort(TlvMap.MAX_FIELDS).writeZero(10);
        maps(b, map.mappings());
        return b;
    }

    /** The {@code NXT_TLV_TABLE_REQUEST} (for tests and tools). */
    public static ByteBuf encodeRequest(ByteBufAllocator alloc, int version, long xid) {
        return nxHeader(alloc, version, xid, NXT_TLV_TABLE_REQUEST, 0);
    }

    /** The mappings of the {@code NXT_TLV_TABLE_REPLY} in {@code frame}. */
    public static List<TlvMap.Mapping> decodeReply(ByteBuf frame) {
        List<TlvMap.Mapping> out = new ArrayList<>();
        for (int at = NX_HEADER + REPLY_FIXED; at + MAP_BYTES <= frame.readableBytes(); at += MAP_BYTES) {
            out.add(new TlvMap.Mapping(frame.getUnsignedShort(at), frame.getUnsignedByte(at + 2),
                    frame.getUnsignedByte(at + 3), frame.getUnsignedShort(at + 4)));
        }
        return out;
    }

    private static ByteBuf nxHeader(ByteBufAllocator alloc, int version, long xid, int subtype, int bodyBytes) {
        int len = NX_HEADER + bodyBytes;
        ByteBuf b = alloc.buffer(len);
        b.writeByte(version).writeByte(TYPE_EXPERIMENTER).writeShort(len).writeInt((int) xid);
        b.writeInt((int) OfError.NX_VENDOR_ID).writeInt(subtype);
        return b;
    }

    private static void maps(ByteBuf b, List<TlvMap.Mapping> mappings) {
        for (TlvMap.Mapping m : mappings) {
            b.writeShort(m.optionClass()).writeByte(m.type()).writeByte(m.length()).writeShort(m.index())
                    .writeShort(0);
        }
    }
}
