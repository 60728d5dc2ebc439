package dev.jvswitch.openflow.codec;

import java.util.HashSet;
import java.util.Set;

import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFVersion;

import io.netty.buffer.ByteBuf;

/**
 * Names the match field a flow mod carries that the switch cannot take, when openflowj could not
 * read the message: the first OXM/NXM entry of the match that is not one of {@link OxmTable}'s
 * fields. A controller then gets OFPBMC_BAD_FIELD naming the field rather than a length error
 * (Open vSwitch's name where it has one: {@code NXM_NX_REG3}, {@code OXM_OF_PKT_REG1} for
 * {@code xreg1}, {@code NXM_NX_TUN_METADATA0}).
 *
 * <pre>
 *  flow mod (1.3-1.5): header (8) | cookie, mask (16) | table, command, timeouts, priority (8)
 *                      buffer, out_port, out_group (12) | flags, importance (4) | match at 48
 *  ofp_match:          type 1 (16) | length (16) | OXM entries
 *  OXM entry:          class (16) | field (7) | hasmask (1) | length (8) | [experimenter (32)] | value
 * </pre>
 *
 * <p><b>Thread-safety:</b> immutable after class initialisation.
 */
public final class OxmScan {
    /** Offset of the match in an OpenFlow 1.3-1.5 flow mod. */
    public static final int FLOW_MOD_MATCH = 48;
    private static final int OFPXMC_OPENFLOW_BASIC = 0x8000;
    private static final int OFPXMC_PACKET_REGS = 0x8001;
    private static final int NXM_0 = 0x0000;
    private static final int NXM_1 = 0x0001;
    private static final int EXPERIMENTER = 0xffff;
    /** class << 7 | field of every field the codec takes. */
    private static final Set<Integer> KNOWN = new HashSet<>();

    static {
        for (OxmTable.Entry<?> e : OxmTable.entries()) {
            Long h = TableFeaturesCodec.headerOf(e, OFFactories.getFactory(OFVersion.OF_13));
            if (h != null) {
                KNOWN.add((int) (h >>> 9));
            }
        }
    }

    private OxmScan() {
    }

    /**
     * The first field of the match at {@code at} in {@code m} (absolute indexes, whatever was
     * read of it) the switch does not take, or null.
     */
    public static String firstUnsupported(ByteBuf m, int at) {
        int end = m.writerIndex();
        if (at + 4 > end || m.getUnsignedShort(at) != 1) {
            return null;
        }
        int matchEnd = Math.min(end, at + m.getUnsignedShort(at + 2));
        for (int p = at + 4; p + 4 <= matchEnd; ) {
            long header = m.getUnsignedInt(p);
            int cls = (int) (header >>> 16);
            int field = (int) (header >>> 9) & 0x7f;
            int len = (int) (header & 0xff);
            if (!KNOWN.contains(cls << 7 | field)) {
                return name(cls, field, cls == EXPERIMENTER && p + 8 <= matchEnd ? m.getUnsignedInt(p + 4) : 0);
            }
            p += 4 + len;
        }
        return null;
    }

    private static String name(int cls, int field, long experimenter) {
        return switch (cls) {
            case OFPXMC_OPENFLOW_BASIC -> switch (field) {
                case 2 -> "OXM_OF_METADATA (metadata)";
                case 44 -> "OXM_OF_PACKET_TYPE (packet_type)";
                default -> "OXM_OF field " + field;
            };
            case OFPXMC_PACKET_REGS -> "OXM_OF_PKT_REG" + field + " (xreg" + field + ")";
            case NXM_1 -> field < 16 ? "NXM_NX_REG" + field + " (reg" + field + ")"
                    : field >= 40 && field < 104 ? "NXM_NX_TUN_METADATA" + (field - 40) + " (tun_metadata"
                            + (field - 40) + ")" : "NXM_NX field " + field;
            case NXM_0 -> "NXM_OF field " + field;
            case EXPERIMENTER -> "experimenter 0x" + Long.toHexString(experimenter) + " field " + field;
            default -> "class 0x" + Integer.toHexString(cls) + " field " + field;
        };
    }
}
