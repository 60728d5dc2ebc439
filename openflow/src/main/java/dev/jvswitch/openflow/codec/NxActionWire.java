package dev.jvswitch.openflow.codec;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;

import dev.jvswitch.flowcache.actions.DpCt;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.action.FieldRef;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * Reads an OpenFlow 1.1+ action list by hand, Nicira extension actions included, into ofproto's
 * {@link OfAction}s: what Open vSwitch's {@code ofp-actions.c} writes for a controller such as
 * ovn-controller (resubmit, set_field/copy_field on registers and metadata, move, load, stack
 * push/pop, ct with nat and exec, ct_clear, conjunction, clone, controller, note, ...). An
 * action ofproto has no model for is refused with the error OVS gives an action it does not
 * know ({@code OFPBAC_BAD_TYPE} or {@code OFPBAC_BAD_EXP_TYPE}), so the controller hears which.
 *
 * <pre>
 *  action:        type (16) | len (16, multiple of 8) | body
 *  experimenter:  0xffff | len | vendor (32) | subtype (16) | body      (Nicira: vendor 0x2320)
 *  set_field:     25 | len | OXM entry (mask allowed in 1.5) | pad
 *  copy_field:    28 | len | n_bits | src_ofs | dst_ofs | pad (16) | src header | dst header | pad
 * </pre>
 *
 * <p>Stateless.
 */
public final class NxActionWire {
    private static final int OUTPUT = 0;
    private static final int PUSH_VLAN = 17;
    private static final int POP_VLAN = 18;
    private static final int GROUP = 22;
    private static final int SET_NW_TTL = 23;
    private static final int DEC_NW_TTL = 24;
    private static final int SET_FIELD = 25;
    private static final int COPY_FIELD = 28;
    private static final int METER = 29;
    private static final int EXPERIMENTER = 0xffff;

    private static final int NXAST_RESUBMIT = 1;
    private static final int NXAST_SET_TUNNEL = 2;
    private static final int NXAST_REG_MOVE = 6;
    private static final int NXAST_REG_LOAD = 7;
    private static final int NXAST_NOTE = 8;
    private static final int NXAST_SET_TUNNEL64 = 9;
    private static final int NXAST_RESUBMIT_TABLE = 14;
    private static final int NXAST_DEC_TTL = 18;
    static final int NXAST_DEC_TTL_CNT_IDS = 21;
    private static final int NXAST_FIN_TIMEOUT = 19;
    private static final int NXAST_CONTROLLER = 20;
    private static final int NXAST_STACK_PUSH = 27;
    private static final int NXAST_STACK_POP = 28;
    private static final int NXAST_REG_LOAD2 = 33;
    private static final int NXAST_CONJUNCTION = 34;
    private static final int NXAST_CT = 35;
    private static final int NXAST_NAT = 36;
    private static final int NXAST_CONTROLLER2 = 37;
    private static final int NXAST_CLONE = 42;
    private static final int NXAST_CT_CLEAR = 43;
    private static final int NXAST_OUTPUT_REG = 15;
    private static final int NXAST_SAMPLE = 29;
    private static final int NXAST_OUTPUT_REG2 = 32;
    private static final int NXAST_SAMPLE2 = 38;
    private static final int NXAST_SAMPLE3 = 41;
    private static final int NXAST_CHECK_PKT_LARGER = 49;
    private static final int ONFACT_COPY_FIELD = 3200;

    private static final int NX_CT_F_COMMIT = 1;
    private static final int NX_CT_F_FORCE = 2;
    private static final int NX_NAT_RANGE_IPV4_MIN = 1;
    private static final int NX_NAT_RANGE_IPV4_MAX = 2;
    private static final int NX_NAT_RANGE_IPV6_MIN = 4;
    private static final int NX_NAT_RANGE_IPV6_MAX = 8;
    private static final int NX_NAT_RANGE_PROTO_MIN = 16;
    private static final int NX_NAT_RANGE_PROTO_MAX = 32;

    private NxActionWire() {
    }

    /** The actions from {@code from} to {@code to} (absolute indexes of {@code b}). */
    public static List<OfAction> decode(ByteBuf b, int from, int to) {
        List<OfAction> out = new ArrayList<>();
        int p = from;
        while (p < to) {
            if (p + 4 > to) {
                throw new OfCodecException(OfError.BAD_ACTION_BAD_LEN, "action header truncated");
            }
            int type = b.getUnsignedShort(p);
            int len = b.getUnsignedShort(p + 2);
            if (len < 8 || (len & 7) != 0 || p + len > to) {
                throw new OfCodecException(OfError.BAD_ACTION_BAD_LEN, "action " + type + " of length " + len);
            }
            // Each action is read through a view of its own length: a length too short for its
            // fields then fails here instead of reading the next action's bytes or past the message.
            try {
                out.add(one(b.slice(p, len), 0, len, type));
            } catch (IndexOutOfBoundsException e) {
                throw new OfCodecException(OfError.BAD_ACTION_BAD_LEN, "action " + type + " of length " + len
                        + " is too short for its fields");
            } catch (IllegalArgumentException e) {
                throw new OfCodecException(OfError.BAD_ACTION_BAD_ARGUMENT, e.getMessage());
            }
            p += len;
        }
        return out;
    }

    private static OfAction one(ByteBuf b, int p, int len, int type) {
        return switch (type) {
            case OUTPUT -> output(OfPortNumbers.from(
                    org.projectfloodlight.openflow.types.OFPort.ofInt(b.getInt(p + 4))), b.getUnsignedShort(p + 8));
            case PUSH_VLAN -> new OfAction.PushVlan(b.getUnsignedShort(p + 4));
            case POP_VLAN -> new OfAction.StripVlan();
            case GROUP -> new OfAction.GroupAction(b.getUnsignedInt(p + 4));
            case SET_NW_TTL -> new OfAction.ModNwTtl(b.getUnsignedByte(p + 4));
            case DEC_NW_TTL -> new OfAction.DecTtl();
            case SET_FIELD -> setField(b, p + 4, p + len);
            case COPY_FIELD -> copyField(b, p + 4, p + len);
            case METER -> meter(b.getUnsignedInt(p + 4));
            case EXPERIMENTER -> experimenter(b, p, len);
            default -> throw new OfCodecException(OfError.BAD_ACTION_BAD_TYPE, "action type " + type
                    + " is not supported");
        };
    }

    private static OfAction output(int port, int maxLen) {
        if (OfPorts.isOutputPort(port)) {
            return new OfAction.Output(port);
        }
        return switch (port) {
            case OfPorts.IN_PORT -> new OfAction.InPort();
            case OfPorts.NORMAL -> new OfAction.Normal();
            case OfPorts.FLOOD -> new OfAction.Flood();
            case OfPorts.ALL -> new OfAction.All();
            case OfPorts.LOCAL -> new OfAction.Local();
            case OfPorts.CONTROLLER -> new OfAction.Controller(maxLen);
            default -> throw new OfCodecException(OfError.BAD_ACTION_BAD_OUT_PORT, "output to port "
                    + Integer.toUnsignedString(port));
        };
    }

    private static OfAction experimenter(ByteBuf b, int p, int len) {
        long vendor = b.getUnsignedInt(p + 4);
        int subtype = len >= 10 ? b.getUnsignedShort(p + 8) : -1;
        if (vendor == NxmTable.ONF_VENDOR && subtype == ONFACT_COPY_FIELD) {
            // onf_action_copy_field: the ofp15 body after vendor and subtype (2 bytes of pad).
            return copyField(b, p + 12, p + len);
        }
        if (vendor != NxmTable.NX_VENDOR) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_EXPERIMENTER, "experimenter 0x"
                    + Long.toHexString(vendor));
        }
        int at = p + 10;
        int end = p + len;
        return switch (subtype) {
            case NXAST_RESUBMIT -> new OfAction.Resubmit(b.getUnsignedShort(at), OfAction.Resubmit.CURRENT_TABLE);
            case NXAST_RESUBMIT_TABLE -> new OfAction.Resubmit(b.getUnsignedShort(at), b.getUnsignedByte(at + 2));
            case NXAST_SET_TUNNEL -> new OfAction.SetTunnel(b.getUnsignedInt(p + 12));
            case NXAST_SET_TUNNEL64 -> new OfAction.SetTunnel(b.getLong(p + 16));
            case NXAST_REG_MOVE -> {
                int nBits = b.getUnsignedShort(at);
                int srcOfs = b.getUnsignedShort(at + 2);
                int dstOfs = b.getUnsignedShort(at + 4);
                int h = p + 16;
                NxmTable.Field src = header(b, h, end);
                h += headerLength(b, h);
                NxmTable.Field dst = header(b, h, end);
                yield new OfAction.Move(ref(src, srcOfs, nBits), ref(dst, dstOfs, nBits));
            }
            case NXAST_REG_LOAD -> {
                int ofsNbits = b.getUnsignedShort(at);
                NxmTable.Field dst = header(b, p + 12, end);
                yield new OfAction.Load(b.getLong(p + 16), ref(dst, ofsNbits >>> 6, (ofsNbits & 0x3f) + 1));
            }
            case NXAST_REG_LOAD2 -> setField(b, at, end); // the entry right after the subtype, as OVS writes it
            case NXAST_NOTE -> {
                byte[] bytes = new byte[len - 10];
                b.getBytes(at, bytes);
                yield new OfAction.Note(bytes);
            }
            case NXAST_DEC_TTL -> new OfAction.DecTtl();
            case NXAST_DEC_TTL_CNT_IDS -> decTtlCntIds(b, p, end);
            case NXAST_FIN_TIMEOUT -> new OfAction.FinTimeout(b.getUnsignedShort(at), b.getUnsignedShort(at + 2));
            case NXAST_CONTROLLER -> NxPinWire.controller(b, at);
            case NXAST_CONTROLLER2 -> NxPinWire.controller2(b, p + 16, end);
            case NXAST_SAMPLE -> NxPinWire.sample(b, at, false, 0);
            case NXAST_SAMPLE2, NXAST_SAMPLE3 -> NxPinWire.sample(b, at, true, subtype == NXAST_SAMPLE3 ? 1 : 0);
            case NXAST_OUTPUT_REG -> {
                int ofsNbits = b.getUnsignedShort(at);
                NxmTable.Field src = header(b, p + 12, end);
                yield outputReg(ref(src, ofsNbits >>> 6, (ofsNbits & 0x3f) + 1), b.getUnsignedShort(p + 16));
            }
            case NXAST_OUTPUT_REG2 -> {
                int ofsNbits = b.getUnsignedShort(at);
                NxmTable.Field src = header(b, p + 14, end);
                yield outputReg(ref(src, ofsNbits >>> 6, (ofsNbits & 0x3f) + 1), b.getUnsignedShort(p + 12));
            }
            case NXAST_CHECK_PKT_LARGER -> {
                NxmTable.Field dst = header(b, p + 14, end);
                yield new OfAction.CheckPktLarger(b.getUnsignedShort(at), ref(dst, b.getUnsignedShort(p + 12), 1));
            }
            case NXAST_STACK_PUSH, NXAST_STACK_POP -> {
                int ofs = b.getUnsignedShort(at);
                NxmTable.Field f = header(b, p + 12, end);
                int nBits = b.getUnsignedShort(p + 12 + headerLength(b, p + 12));
                FieldRef r = ref(f, ofs, nBits);
                yield subtype == NXAST_STACK_PUSH ? new OfAction.StackPush(r) : new OfAction.StackPop(r);
            }
            case NXAST_CONJUNCTION -> new OfAction.Conjunction(b.getUnsignedInt(p + 12), b.getUnsignedByte(at) + 1,
                    b.getUnsignedByte(at + 1));
            case NXAST_CT -> ct(b, p, end);
            case NXAST_CT_CLEAR -> new OfAction.CtClear();
            case NXAST_CLONE -> new OfAction.Clone(decode(b, p + 16, end));
            case NxLearnWire.NXAST_LEARN, NxLearnWire.NXAST_LEARN2 -> NxLearnWire.decode(b, p, end, subtype);
            default -> throw new OfCodecException(OfError.BAD_ACTION_BAD_EXP_TYPE, "Nicira action " + subtype
                    + " is not supported");
        };
    }

    /** nx_action_cnt_ids: header (10) | n_controllers (16) | zeros (32) | ids (16 each) | pad to 8. */
    private static OfAction decTtlCntIds(ByteBuf b, int p, int end) {
        if (p + 16 > end) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_LEN, "dec_ttl: action of " + (end - p) + " bytes");
        }
        int n = b.getUnsignedShort(p + 10);
        if (b.getInt(p + 12) != 0) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_ARGUMENT, "dec_ttl: reserved bytes are not zero");
        }
        if (p + 16 + 2 * n > end) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_LEN, "dec_ttl: " + n + " controller ids in "
                    + (end - p - 16) + " bytes");
        }
        List<Integer> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(b.getUnsignedShort(p + 16 + 2 * i));
        }
        return new OfAction.DecTtl(ids);
    }

    private static OfAction outputReg(FieldRef src, int maxLen) {
        if (src.nBits() > 32) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_ARGUMENT, "output_reg: " + src + " is wider than a port");
        }
        return new OfAction.OutputReg(src, maxLen);
    }

    /** OpenFlow 1.5's meter action (1.3's meter instruction has the same body). */
    static OfAction meter(long id) {
        if (id == 0 || id > 0xffff_0000L) {
            throw new OfCodecException(OfError.METER_MOD_FAILED_INVALID_METER, "meter " + id);
        }
        return new OfAction.Meter(id);
    }

    private static OfAction ct(ByteBuf b, int p, int end) {
        int flags = b.getUnsignedShort(p + 10);
        long zoneHeader = b.getUnsignedInt(p + 12);
        int zoneArg = b.getUnsignedShort(p + 16);
        int table = b.getUnsignedByte(p + 18);
        int alg = b.getUnsignedShort(p + 22);
        if (alg != 0 && alg != OfAction.Ct.ALG_FTP && alg != OfAction.Ct.ALG_TFTP) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_ARGUMENT, "ct: alg " + alg + " is not supported");
        }
        FieldRef zoneSrc = null;
        int zoneImm = 0;
        if (zoneHeader != 0) {
            zoneSrc = ref(header(b, p + 12, end), zoneArg >>> 6, (zoneArg & 0x3f) + 1);
        } else {
            zoneImm = zoneArg;
        }
        DpCt.Nat nat = null;
        List<OfAction> exec = new ArrayList<>();
        int q = p + 24;
        if (q + 10 <= end && b.getUnsignedShort(q) == EXPERIMENTER && b.getUnsignedInt(q + 4) == NxmTable.NX_VENDOR
                && b.getUnsignedShort(q + 8) == NXAST_NAT) {
            int natLen = b.getUnsignedShort(q + 2);
            if (natLen < 16 || (natLen & 7) != 0 || q + natLen > end) {
                throw new OfCodecException(OfError.BAD_ACTION_BAD_LEN, "nat of length " + natLen);
            }
            nat = nat(b.slice(q, natLen), 0, natLen);
            q += natLen;
        }
        exec.addAll(decode(b, q, end));
        return new OfAction.Ct((flags & NX_CT_F_COMMIT) != 0, (flags & NX_CT_F_FORCE) != 0, zoneImm, zoneSrc, table,
                exec, nat, alg);
    }

    private static DpCt.Nat nat(ByteBuf b, int p, int end) {
        int flags = b.getUnsignedShort(p + 12);
        int present = b.getUnsignedShort(p + 14);
        int q = p + 16;
        boolean ipv6 = (present & (NX_NAT_RANGE_IPV6_MIN | NX_NAT_RANGE_IPV6_MAX)) != 0;
        boolean hasAddr = (present & (NX_NAT_RANGE_IPV4_MIN | NX_NAT_RANGE_IPV6_MIN)) != 0;
        long minHi = 0;
        long minLo = 0;
        long maxHi = 0;
        long maxLo = 0;
        if ((present & NX_NAT_RANGE_IPV4_MIN) != 0) {
            minLo = b.getUnsignedInt(q);
            q += 4;
        }
        if ((present & NX_NAT_RANGE_IPV4_MAX) != 0) {
            maxLo = b.getUnsignedInt(q);
            q += 4;
        }
        if ((present & NX_NAT_RANGE_IPV6_MIN) != 0) {
            minHi = b.getLong(q);
            minLo = b.getLong(q + 8);
            q += 16;
        }
        if ((present & NX_NAT_RANGE_IPV6_MAX) != 0) {
            maxHi = b.getLong(q);
            maxLo = b.getLong(q + 8);
            q += 16;
        }
        int minPort = 0;
        int maxPort = 0;
        if ((present & NX_NAT_RANGE_PROTO_MIN) != 0) {
            minPort = b.getUnsignedShort(q);
            q += 2;
        }
        if ((present & NX_NAT_RANGE_PROTO_MAX) != 0) {
            maxPort = b.getUnsignedShort(q);
            q += 2;
        }
        if (q > end) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_LEN, "nat ranges overrun the action");
        }
        if (flags == 0 && present == 0) {
            return DpCt.Nat.BARE;
        }
        return new DpCt.Nat(flags, ipv6, hasAddr, minHi, minLo, maxHi, maxLo, minPort, maxPort);
    }

    /** set_field, or reg_load2: an OXM/NXM entry (masked or not) at {@code at}. */
    private static OfAction setField(ByteBuf b, int at, int end) {
        NxmTable.Field f = header(b, at, end);
        long header = b.getUnsignedInt(at);
        boolean masked = (header & 0x100) != 0;
        int v = at + headerLength(b, at);
        if (f.field().isTunnelMetadata()) {
            return NxTunMetadata.setField(b, v, end, f.field(), header);
        }
        int n = f.bytes();
        if (v + (masked ? 2 * n : n) > end) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_LEN, "set_field of " + f.name() + " truncated");
        }
        FlowField field = f.field();
        if (n == 16) {
            long vh = b.getLong(v);
            long vl = b.getLong(v + 8);
            if (!masked) {
                return OfAction.SetField.exact128(field, vh, vl);
            }
            return new OfAction.SetField(field, vh, vl, b.getLong(v + 16), b.getLong(v + 24));
        }
        long value = read(b, v, n);
        long mask = masked ? read(b, v + n, n) : -1L >>> (64 - 8 * n);
        if (f.conv() == NxmTable.Conv.PORT32) {
            int port = OfPortNumbers.from(org.projectfloodlight.openflow.types.OFPort.ofInt((int) value));
            if (port < 0) {
                throw new OfCodecException(OfError.BAD_ACTION_BAD_SET_ARGUMENT, f.name() + " " + value);
            }
            return OfAction.SetField.exact(field, port);
        } else if (f.conv() == NxmTable.Conv.PORT16 && mask == 0xffff) {
            return OfAction.SetField.exact(field, value);
        } else if (f.conv() == NxmTable.Conv.VID) {
            value &= 0x1fff;
            mask &= 0x1fff;
        }
        long widthMask = f.width() >= 64 ? -1L : (1L << f.width()) - 1;
        mask &= widthMask;
        if ((value & mask & ~widthMask) != 0 || mask == 0) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_SET_ARGUMENT, "set_field " + f.name() + " value 0x"
                    + Long.toHexString(value));
        }
        long m = (mask << f.shift()) | f.implied();
        return OfAction.SetField.masked(field, ((value & mask) << f.shift() | f.implied()) & m, m);
    }

    private static OfAction copyField(ByteBuf b, int at, int end) {
        int nBits = b.getUnsignedShort(at);
        int srcOfs = b.getUnsignedShort(at + 2);
        int dstOfs = b.getUnsignedShort(at + 4);
        int h = at + 8;
        NxmTable.Field src = header(b, h, end);
        h += headerLength(b, h);
        NxmTable.Field dst = header(b, h, end);
        return new OfAction.Move(ref(src, srcOfs, nBits), ref(dst, dstOfs, nBits));
    }

    /** The field a header at {@code at} names (an unknown one is OFPBAC_BAD_SET_TYPE, as OVS says). */
    static NxmTable.Field header(ByteBuf b, int at, int end) {
        if (at + 4 > end) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_LEN, "field header truncated");
        }
        long header = b.getUnsignedInt(at);
        int cls = (int) (header >>> 16);
        int number = (int) (header >>> 9) & 0x7f;
        long exp = cls == NxmTable.EXPERIMENTER && at + 8 <= end ? b.getUnsignedInt(at + 4) : 0;
        NxmTable.Field f = NxmTable.find(cls, exp, number);
        if (f == null) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_SET_TYPE, "field " + NxmTable.describe(cls, exp, number)
                    + " is not supported");
        }
        return f;
    }

    static int headerLength(ByteBuf b, int at) {
        return b.getUnsignedShort(at) == NxmTable.EXPERIMENTER ? 8 : 4;
    }

    /** Bits {@code ofs..ofs+nBits-1} of the wire field {@code f}, as a reference into its flow field. */
    static FieldRef ref(NxmTable.Field f, int ofs, int nBits) {
        if (nBits < 1 || ofs + nBits > f.width()) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_ARGUMENT, f.name() + "[" + ofs + ".." + (ofs + nBits - 1)
                    + "] is outside the field");
        }
        return new FieldRef(f.field(), f.shift() + ofs, nBits);
    }

    private static long read(ByteBuf b, int at, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = v << 8 | b.getUnsignedByte(at + i);
        }
        return v;
    }
}
