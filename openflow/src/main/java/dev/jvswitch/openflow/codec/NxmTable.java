package dev.jvswitch.openflow.codec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.jvswitch.flowcache.key.FlowField;

/**
 * Every NXM and OXM field header the switch takes on the wire, by number, as Open vSwitch
 * assigns them ({@code meta-flow.h}): the OpenFlow basic class, Nicira's NXM_OF and NXM_NX
 * classes (registers, {@code xxreg}, connection tracking, {@code pkt_mark}, {@code conj_id}, ...),
 * the packet-register class ({@code xreg}) and the experimenter fields OVS uses. Unlike
 * {@link OxmTable}, which maps openflowj's {@code MatchField}s, this table is read by the codec
 * that decodes flow mods by hand ({@link NxMatchWire}, {@link NxActionWire}) for controllers such
 * as ovn-controller, whose matches and actions openflowj cannot read.
 *
 * <pre>
 *  header: class (16) | field (7) | hasmask (1) | length (8) [| experimenter (32) when class is 0xffff]
 * </pre>
 *
 * <p>{@code tun_metadataN} is here as its 32 bits of the flow key; whether the bridge's TLV map
 * names it is checked where a flow mod reaches its bridge.
 *
 * <p><b>Thread-safety:</b> immutable after class initialisation.
 */
public final class NxmTable {
    public static final int NXM_OF = 0x0000;
    public static final int NXM_NX = 0x0001;
    public static final int OXM_BASIC = 0x8000;
    public static final int OXM_PKT_REGS = 0x8001;
    public static final int EXPERIMENTER = 0xffff;
    public static final long NX_VENDOR = 0x00002320L;
    public static final long ONF_VENDOR = 0x4f4e4600L;

    /** How the wire value maps to the flow key value. */
    public enum Conv {
        /** Bits as they are. */
        PLAIN,
        /** An OpenFlow 1.1+ 32-bit port number to ofproto's 16-bit numbering (exact only). */
        PORT32,
        /** An OpenFlow 1.0 16-bit port number ({@code NXM_OF_IN_PORT}): exact is the whole key field. */
        PORT16,
        /** OXM VLAN_VID: CFI|VID (OFPVID_PRESENT is 0x1000, OVS's CFI bit). */
        VID
    }

    /**
     * One field header: {@code bytes} of value on the wire, which are {@code width} bits of
     * {@code field} from bit {@code shift}; it needs {@code ethType} (-1 any, -2 IPv4 or IPv6) and
     * {@code ipProto} (-1 any) in the match; {@code implied} is set with it (VLAN present under PCP).
     */
    public record Field(int cls, long experimenter, int number, int bytes, FlowField field, int shift, int width,
            int ethType, int ipProto, long implied, Conv conv, String name) {
        /** The field's bits this header names, in place. */
        public long fieldMask() {
            return (width >= 64 ? -1L : (1L << width) - 1) << shift;
        }

        /** The 32-bit header (hasmask clear) of this field with value length {@code bytes}. */
        public long header(boolean masked) {
            int len = (experimenter != 0 ? 4 : 0) + (masked ? 2 * bytes : bytes);
            return ((long) cls << 16) | ((long) number << 9) | (masked ? 0x100 : 0) | len;
        }
    }

    private static final int IPV4 = 0x0800;
    private static final int IPV6 = 0x86dd;
    private static final int ARP = 0x0806;
    private static final int IP_ANY = -2;
    private static final Map<Long, Field> BY_KEY = new HashMap<>();
    private static final List<Field> ALL = new ArrayList<>();

    static {
        // OpenFlow basic class (OXM), preferred when a match is written back.
        oxm(0, 4, FlowField.IN_PORT, 0, 32, -1, -1, Conv.PORT32, "OXM_OF_IN_PORT");
        oxm(2, 8, FlowField.METADATA, 0, 64, -1, -1, Conv.PLAIN, "OXM_OF_METADATA");
        oxm(3, 6, FlowField.ETH_DST, 0, 48, -1, -1, Conv.PLAIN, "OXM_OF_ETH_DST");
        oxm(4, 6, FlowField.ETH_SRC, 0, 48, -1, -1, Conv.PLAIN, "OXM_OF_ETH_SRC");
        oxm(5, 2, FlowField.ETH_TYPE, 0, 16, -1, -1, Conv.PLAIN, "OXM_OF_ETH_TYPE");
        add(new Field(OXM_BASIC, 0, 6, 2, FlowField.VLAN_TCI, 0, 13, -1, -1, 0, Conv.VID, "OXM_OF_VLAN_VID"));
        add(new Field(OXM_BASIC, 0, 7, 1, FlowField.VLAN_TCI, 13, 3, -1, -1, 0x1000, Conv.PLAIN, "OXM_OF_VLAN_PCP"));
        oxm(8, 1, FlowField.NW_TOS, 2, 6, IP_ANY, -1, Conv.PLAIN, "OXM_OF_IP_DSCP");
        oxm(9, 1, FlowField.NW_TOS, 0, 2, IP_ANY, -1, Conv.PLAIN, "OXM_OF_IP_ECN");
        oxm(10, 1, FlowField.NW_PROTO, 0, 8, IP_ANY, -1, Conv.PLAIN, "OXM_OF_IP_PROTO");
        oxm(11, 4, FlowField.NW_SRC, 0, 32, IPV4, -1, Conv.PLAIN, "OXM_OF_IPV4_SRC");
        oxm(12, 4, FlowField.NW_DST, 0, 32, IPV4, -1, Conv.PLAIN, "OXM_OF_IPV4_DST");
        oxm(13, 2, FlowField.TP_SRC, 0, 16, IP_ANY, 6, Conv.PLAIN, "OXM_OF_TCP_SRC");
        oxm(14, 2, FlowField.TP_DST, 0, 16, IP_ANY, 6, Conv.PLAIN, "OXM_OF_TCP_DST");
        oxm(15, 2, FlowField.TP_SRC, 0, 16, IP_ANY, 17, Conv.PLAIN, "OXM_OF_UDP_SRC");
        oxm(16, 2, FlowField.TP_DST, 0, 16, IP_ANY, 17, Conv.PLAIN, "OXM_OF_UDP_DST");
        oxm(17, 2, FlowField.TP_SRC, 0, 16, IP_ANY, 132, Conv.PLAIN, "OXM_OF_SCTP_SRC");
        oxm(18, 2, FlowField.TP_DST, 0, 16, IP_ANY, 132, Conv.PLAIN, "OXM_OF_SCTP_DST");
        oxm(19, 1, FlowField.ICMP_TYPE, 0, 8, IPV4, 1, Conv.PLAIN, "OXM_OF_ICMPV4_TYPE");
        oxm(20, 1, FlowField.ICMP_CODE, 0, 8, IPV4, 1, Conv.PLAIN, "OXM_OF_ICMPV4_CODE");
        oxm(21, 2, FlowField.ARP_OP, 0, 8, ARP, -1, Conv.PLAIN, "OXM_OF_ARP_OP");
        oxm(22, 4, FlowField.ARP_SPA, 0, 32, ARP, -1, Conv.PLAIN, "OXM_OF_ARP_SPA");
        oxm(23, 4, FlowField.ARP_TPA, 0, 32, ARP, -1, Conv.PLAIN, "OXM_OF_ARP_TPA");
        oxm(24, 6, FlowField.ARP_SHA, 0, 48, ARP, -1, Conv.PLAIN, "OXM_OF_ARP_SHA");
        oxm(25, 6, FlowField.ARP_THA, 0, 48, ARP, -1, Conv.PLAIN, "OXM_OF_ARP_THA");
        oxm(26, 16, FlowField.IPV6_SRC, 0, 128, IPV6, -1, Conv.PLAIN, "OXM_OF_IPV6_SRC");
        oxm(27, 16, FlowField.IPV6_DST, 0, 128, IPV6, -1, Conv.PLAIN, "OXM_OF_IPV6_DST");
        oxm(28, 4, FlowField.IPV6_LABEL, 0, 20, IPV6, -1, Conv.PLAIN, "OXM_OF_IPV6_FLABEL");
        oxm(29, 1, FlowField.ICMPV6_TYPE, 0, 8, IPV6, 58, Conv.PLAIN, "OXM_OF_ICMPV6_TYPE");
        oxm(30, 1, FlowField.ICMPV6_CODE, 0, 8, IPV6, 58, Conv.PLAIN, "OXM_OF_ICMPV6_CODE");
        oxm(31, 16, FlowField.ND_TARGET, 0, 128, IPV6, 58, Conv.PLAIN, "OXM_OF_IPV6_ND_TARGET");
        oxm(32, 6, FlowField.ND_SLL, 0, 48, IPV6, 58, Conv.PLAIN, "OXM_OF_IPV6_ND_SLL");
        oxm(33, 6, FlowField.ND_TLL, 0, 48, IPV6, 58, Conv.PLAIN, "OXM_OF_IPV6_ND_TLL");
        oxm(38, 8, FlowField.TUN_ID, 0, 64, -1, -1, Conv.PLAIN, "OXM_OF_TUNNEL_ID");
        oxm(42, 2, FlowField.TCP_FLAGS, 0, 12, IP_ANY, 6, Conv.PLAIN, "OXM_OF_TCP_FLAGS");
        for (int i = 0; i < 8; i++) {
            add(new Field(OXM_PKT_REGS, 0, i, 8, FlowField.byName("xreg" + i), 0, 64, -1, -1, 0, Conv.PLAIN,
                    "OXM_OF_PKT_REG" + i));
        }
        // Nicira's NXM_OF class: OpenFlow 1.0 fields (in_port is 16 bits here).
        add(new Field(NXM_OF, 0, 0, 2, FlowField.IN_PORT, 0, 16, -1, -1, 0, Conv.PORT16, "NXM_OF_IN_PORT"));
        nxm(NXM_OF, 1, 6, FlowField.ETH_DST, 0, 48, -1, -1, "NXM_OF_ETH_DST");
        nxm(NXM_OF, 2, 6, FlowField.ETH_SRC, 0, 48, -1, -1, "NXM_OF_ETH_SRC");
        nxm(NXM_OF, 3, 2, FlowField.ETH_TYPE, 0, 16, -1, -1, "NXM_OF_ETH_TYPE");
        nxm(NXM_OF, 4, 2, FlowField.VLAN_TCI, 0, 16, -1, -1, "NXM_OF_VLAN_TCI");
        nxm(NXM_OF, 5, 1, FlowField.NW_TOS, 0, 8, IP_ANY, -1, "NXM_OF_IP_TOS");
        nxm(NXM_OF, 6, 1, FlowField.NW_PROTO, 0, 8, IP_ANY, -1, "NXM_OF_IP_PROTO");
        nxm(NXM_OF, 7, 4, FlowField.NW_SRC, 0, 32, IPV4, -1, "NXM_OF_IP_SRC");
        nxm(NXM_OF, 8, 4, FlowField.NW_DST, 0, 32, IPV4, -1, "NXM_OF_IP_DST");
        nxm(NXM_OF, 9, 2, FlowField.TP_SRC, 0, 16, IP_ANY, 6, "NXM_OF_TCP_SRC");
        nxm(NXM_OF, 10, 2, FlowField.TP_DST, 0, 16, IP_ANY, 6, "NXM_OF_TCP_DST");
        nxm(NXM_OF, 11, 2, FlowField.TP_SRC, 0, 16, IP_ANY, 17, "NXM_OF_UDP_SRC");
        nxm(NXM_OF, 12, 2, FlowField.TP_DST, 0, 16, IP_ANY, 17, "NXM_OF_UDP_DST");
        nxm(NXM_OF, 13, 1, FlowField.ICMP_TYPE, 0, 8, IPV4, 1, "NXM_OF_ICMP_TYPE");
        nxm(NXM_OF, 14, 1, FlowField.ICMP_CODE, 0, 8, IPV4, 1, "NXM_OF_ICMP_CODE");
        nxm(NXM_OF, 15, 2, FlowField.ARP_OP, 0, 8, ARP, -1, "NXM_OF_ARP_OP");
        nxm(NXM_OF, 16, 4, FlowField.ARP_SPA, 0, 32, ARP, -1, "NXM_OF_ARP_SPA");
        nxm(NXM_OF, 17, 4, FlowField.ARP_TPA, 0, 32, ARP, -1, "NXM_OF_ARP_TPA");
        // Nicira's NXM_NX class.
        for (int i = 0; i < 16; i++) {
            nxm(NXM_NX, i, 4, FlowField.byName("reg" + i), 0, 32, -1, -1, "NXM_NX_REG" + i);
        }
        nxm(NXM_NX, 16, 8, FlowField.TUN_ID, 0, 64, -1, -1, "NXM_NX_TUN_ID");
        nxm(NXM_NX, 17, 6, FlowField.ARP_SHA, 0, 48, ARP, -1, "NXM_NX_ARP_SHA");
        nxm(NXM_NX, 18, 6, FlowField.ARP_THA, 0, 48, ARP, -1, "NXM_NX_ARP_THA");
        nxm(NXM_NX, 19, 16, FlowField.IPV6_SRC, 0, 128, IPV6, -1, "NXM_NX_IPV6_SRC");
        nxm(NXM_NX, 20, 16, FlowField.IPV6_DST, 0, 128, IPV6, -1, "NXM_NX_IPV6_DST");
        nxm(NXM_NX, 21, 1, FlowField.ICMPV6_TYPE, 0, 8, IPV6, 58, "NXM_NX_ICMPV6_TYPE");
        nxm(NXM_NX, 22, 1, FlowField.ICMPV6_CODE, 0, 8, IPV6, 58, "NXM_NX_ICMPV6_CODE");
        nxm(NXM_NX, 23, 16, FlowField.ND_TARGET, 0, 128, IPV6, 58, "NXM_NX_ND_TARGET");
        nxm(NXM_NX, 24, 6, FlowField.ND_SLL, 0, 48, IPV6, 58, "NXM_NX_ND_SLL");
        nxm(NXM_NX, 25, 6, FlowField.ND_TLL, 0, 48, IPV6, 58, "NXM_NX_ND_TLL");
        nxm(NXM_NX, 26, 1, FlowField.NW_FRAG, 0, 2, IP_ANY, -1, "NXM_NX_IP_FRAG");
        nxm(NXM_NX, 27, 4, FlowField.IPV6_LABEL, 0, 20, IPV6, -1, "NXM_NX_IPV6_LABEL");
        nxm(NXM_NX, 28, 1, FlowField.NW_TOS, 0, 2, IP_ANY, -1, "NXM_NX_IP_ECN");
        nxm(NXM_NX, 29, 1, FlowField.NW_TTL, 0, 8, IP_ANY, -1, "NXM_NX_IP_TTL");
        nxm(NXM_NX, 31, 4, FlowField.TUN_SRC, 0, 32, -1, -1, "NXM_NX_TUN_IPV4_SRC");
        nxm(NXM_NX, 32, 4, FlowField.TUN_DST, 0, 32, -1, -1, "NXM_NX_TUN_IPV4_DST");
        nxm(NXM_NX, 33, 4, FlowField.SKB_MARK, 0, 32, -1, -1, "NXM_NX_PKT_MARK");
        nxm(NXM_NX, 34, 2, FlowField.TCP_FLAGS, 0, 12, IP_ANY, 6, "NXM_NX_TCP_FLAGS");
        nxm(NXM_NX, 35, 4, FlowField.DP_HASH, 0, 32, -1, -1, "NXM_NX_DP_HASH");
        nxm(NXM_NX, 36, 4, FlowField.RECIRC_ID, 0, 32, -1, -1, "NXM_NX_RECIRC_ID");
        nxm(NXM_NX, 37, 4, FlowField.CONJ_ID, 0, 32, -1, -1, "NXM_NX_CONJ_ID");
        // Geneve options through the bridge's TLV map: 4 bytes, the length this switch maps and the
        // one the switch writes; a match entry may be shorter or longer (NxMatchWire reads it).
        for (int i = 0; i < NxTunMetadata.FIELDS; i++) {
            nxm(NXM_NX, NxTunMetadata.FIELD_0 + i, NxTunMetadata.VALUE_BYTES, FlowField.tunMetadata(i), 0, 32, -1, -1,
                    "NXM_NX_TUN_METADATA" + i);
        }
        nxm(NXM_NX, 104, 2, FlowField.TUN_FLAGS, 0, 16, -1, -1, "NXM_NX_TUN_FLAGS");
        nxm(NXM_NX, 105, 4, FlowField.CT_STATE, 0, 8, -1, -1, "NXM_NX_CT_STATE");
        nxm(NXM_NX, 106, 2, FlowField.CT_ZONE, 0, 16, -1, -1, "NXM_NX_CT_ZONE");
        nxm(NXM_NX, 107, 4, FlowField.CT_MARK, 0, 32, -1, -1, "NXM_NX_CT_MARK");
        nxm(NXM_NX, 108, 16, FlowField.CT_LABEL, 0, 128, -1, -1, "NXM_NX_CT_LABEL");
        nxm(NXM_NX, 109, 16, FlowField.TUN_IPV6_SRC, 0, 128, -1, -1, "NXM_NX_TUN_IPV6_SRC");
        nxm(NXM_NX, 110, 16, FlowField.TUN_IPV6_DST, 0, 128, -1, -1, "NXM_NX_TUN_IPV6_DST");
        for (int i = 0; i < 4; i++) {
            nxm(NXM_NX, 111 + i, 16, FlowField.byName("xxreg" + i), 0, 128, -1, -1, "NXM_NX_XXREG" + i);
        }
        nxm(NXM_NX, 119, 1, FlowField.CT_NW_PROTO, 0, 8, -1, -1, "NXM_NX_CT_NW_PROTO");
        nxm(NXM_NX, 120, 4, FlowField.CT_NW_SRC, 0, 32, -1, -1, "NXM_NX_CT_NW_SRC");
        nxm(NXM_NX, 121, 4, FlowField.CT_NW_DST, 0, 32, -1, -1, "NXM_NX_CT_NW_DST");
        nxm(NXM_NX, 122, 16, FlowField.CT_IPV6_SRC, 0, 128, -1, -1, "NXM_NX_CT_IPV6_SRC");
        nxm(NXM_NX, 123, 16, FlowField.CT_IPV6_DST, 0, 128, -1, -1, "NXM_NX_CT_IPV6_DST");
        nxm(NXM_NX, 124, 2, FlowField.CT_TP_SRC, 0, 16, -1, -1, "NXM_NX_CT_TP_SRC");
        nxm(NXM_NX, 125, 2, FlowField.CT_TP_DST, 0, 16, -1, -1, "NXM_NX_CT_TP_DST");
        // Experimenter fields.
        add(new Field(EXPERIMENTER, NX_VENDOR, 0, 4, FlowField.DP_HASH, 0, 32, -1, -1, 0, Conv.PLAIN,
                "NXOXM_ET_DP_HASH"));
        add(new Field(EXPERIMENTER, ONF_VENDOR, 42, 2, FlowField.TCP_FLAGS, 0, 12, IP_ANY, 6, 0, Conv.PLAIN,
                "ONFOXM_ET_TCP_FLAGS"));
        add(new Field(EXPERIMENTER, ONF_VENDOR, 43, 4, FlowField.ACTSET_OUTPUT, 0, 32, -1, -1, 0, Conv.PORT32,
                "ONFOXM_ET_ACTSET_OUTPUT"));
    }

    private NxmTable() {
    }

    private static void oxm(int number, int bytes, FlowField f, int shift, int width, int ethType, int ipProto,
            Conv conv, String name) {
        add(new Field(OXM_BASIC, 0, number, bytes, f, shift, width, ethType, ipProto, 0, conv, name));
    }

    private static void nxm(int cls, int number, int bytes, FlowField f, int shift, int width, int ethType,
            int ipProto, String name) {
        add(new Field(cls, 0, number, bytes, f, shift, width, ethType, ipProto, 0, Conv.PLAIN, name));
    }

    private static void add(Field f) {
        BY_KEY.put(key(f.cls(), f.experimenter(), f.number()), f);
        ALL.add(f);
    }

    private static long key(int cls, long experimenter, int number) {
        return (cls == EXPERIMENTER ? experimenter << 24 : 0) | (long) cls << 7 | number;
    }

    /** The field of header class {@code cls}, number {@code number} (experimenter id for class 0xffff), or null. */
    public static Field find(int cls, long experimenter, int number) {
        return BY_KEY.get(key(cls, cls == EXPERIMENTER ? experimenter : 0, number));
    }

    /** Every field, in table order. */
    public static List<Field> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** A name for an unknown header, as OVS names the common ones. */
    public static String describe(int cls, long experimenter, int number) {
        return (cls == EXPERIMENTER ? "experimenter 0x" + Long.toHexString(experimenter) : "class 0x"
                + Integer.toHexString(cls)) + " field " + number;
    }
}
