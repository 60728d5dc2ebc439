package dev.jvswitch.ofproto.syntax;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.action.FieldRef;

/**
 * The NXM and OXM names of flow fields ({@code NXM_NX_REG0}, {@code OXM_OF_METADATA}), which
 * ovs-ofctl accepts wherever an action names a field ({@code load}, {@code move}, {@code push},
 * {@code learn}, {@code multipath}, {@code bundle}) and which OVS prints in them. A match takes
 * only the plain names, as in OVS.
 *
 * <p>OVS prints a subfield by its field's first NXM name (OVS's {@code mf_format_subfield} with
 * {@code nxm_field_by_mf_id(id, 0)}): {@code NXM_NX_REG0[]}, {@code NXM_OF_ETH_SRC[]}, and the
 * OXM name only where there is no NXM one ({@code OXM_OF_METADATA[0..7]}). jvswitch keeps one
 * field for TCP, UDP and SCTP ports, so {@link #subfield} takes the protocol that names them.
 * OVS's {@code in_port} (and {@code NXM_OF_IN_PORT}) is 16 bits wide, its {@code in_port_oxm} 32:
 * {@link #IN_PORT_16} is the width of the former.
 */
final class NxmNames {
    private static final Map<String, FlowField> BY_NAME = new HashMap<>();
    /** The name OVS prints for each field (the first NXM name put, else the first OXM name). */
    private static final Map<FlowField, String> PRINTED = new EnumMap<>(FlowField.class);
    /** OVS's plain field names where they differ from jvswitch's ({@code nw_src} is OVS's {@code ip_src}). */
    private static final Map<FlowField, String> MF_NAMES = new EnumMap<>(FlowField.class);
    /** Bits of OVS's {@code in_port} / {@code NXM_OF_IN_PORT}. */
    static final int IN_PORT_16 = 16;

    static {
        put("NXM_OF_IN_PORT", FlowField.IN_PORT);
        put("OXM_OF_IN_PORT", FlowField.IN_PORT);
        put("NXM_OF_ETH_DST", FlowField.ETH_DST);
        put("OXM_OF_ETH_DST", FlowField.ETH_DST);
        put("NXM_OF_ETH_SRC", FlowField.ETH_SRC);
        put("OXM_OF_ETH_SRC", FlowField.ETH_SRC);
        put("NXM_OF_ETH_TYPE", FlowField.ETH_TYPE);
        put("OXM_OF_ETH_TYPE", FlowField.ETH_TYPE);
        put("NXM_OF_VLAN_TCI", FlowField.VLAN_TCI);
        put("NXM_OF_IP_TOS", FlowField.NW_TOS);
        put("NXM_OF_IP_PROTO", FlowField.NW_PROTO);
        put("OXM_OF_IP_PROTO", FlowField.NW_PROTO);
        put("NXM_OF_IP_SRC", FlowField.NW_SRC);
        put("OXM_OF_IPV4_SRC", FlowField.NW_SRC);
        put("NXM_OF_IP_DST", FlowField.NW_DST);
        put("OXM_OF_IPV4_DST", FlowField.NW_DST);
        put("NXM_OF_TCP_SRC", FlowField.TP_SRC);
        put("OXM_OF_TCP_SRC", FlowField.TP_SRC);
        put("NXM_OF_TCP_DST", FlowField.TP_DST);
        put("OXM_OF_TCP_DST", FlowField.TP_DST);
        put("NXM_OF_UDP_SRC", FlowField.TP_SRC);
        put("OXM_OF_UDP_SRC", FlowField.TP_SRC);
        put("NXM_OF_UDP_DST", FlowField.TP_DST);
        put("OXM_OF_UDP_DST", FlowField.TP_DST);
        put("NXM_OF_ARP_OP", FlowField.ARP_OP);
        put("OXM_OF_ARP_OP", FlowField.ARP_OP);
        put("NXM_OF_ARP_SPA", FlowField.ARP_SPA);
        put("OXM_OF_ARP_SPA", FlowField.ARP_SPA);
        put("NXM_OF_ARP_TPA", FlowField.ARP_TPA);
        put("OXM_OF_ARP_TPA", FlowField.ARP_TPA);
        put("NXM_NX_ARP_SHA", FlowField.ARP_SHA);
        put("OXM_OF_ARP_SHA", FlowField.ARP_SHA);
        put("NXM_NX_ARP_THA", FlowField.ARP_THA);
        put("OXM_OF_ARP_THA", FlowField.ARP_THA);
        put("NXM_NX_TUN_ID", FlowField.TUN_ID);
        put("OXM_OF_TUNNEL_ID", FlowField.TUN_ID);
        put("NXM_NX_TUN_IPV4_SRC", FlowField.TUN_SRC);
        put("NXM_NX_TUN_IPV4_DST", FlowField.TUN_DST);
        put("NXM_NX_IPV6_SRC", FlowField.IPV6_SRC);
        put("OXM_OF_IPV6_SRC", FlowField.IPV6_SRC);
        put("NXM_NX_IPV6_DST", FlowField.IPV6_DST);
        put("OXM_OF_IPV6_DST", FlowField.IPV6_DST);
        put("NXM_NX_IPV6_LABEL", FlowField.IPV6_LABEL);
        put("NXM_NX_IP_TTL", FlowField.NW_TTL);
        put("NXM_NX_PKT_MARK", FlowField.SKB_MARK);
        put("NXM_NX_ND_TARGET", FlowField.ND_TARGET);
        put("NXM_NX_DP_HASH", FlowField.DP_HASH);
        put("NXM_NX_RECIRC_ID", FlowField.RECIRC_ID);
        put("NXM_OF_ICMP_TYPE", FlowField.ICMP_TYPE);
        put("OXM_OF_ICMPV4_TYPE", FlowField.ICMP_TYPE);
        put("NXM_OF_ICMP_CODE", FlowField.ICMP_CODE);
        put("OXM_OF_ICMPV4_CODE", FlowField.ICMP_CODE);
        put("NXM_NX_ICMPV6_TYPE", FlowField.ICMPV6_TYPE);
        put("OXM_OF_ICMPV6_TYPE", FlowField.ICMPV6_TYPE);
        put("NXM_NX_ICMPV6_CODE", FlowField.ICMPV6_CODE);
        put("OXM_OF_ICMPV6_CODE", FlowField.ICMPV6_CODE);
        put("NXM_NX_ND_SLL", FlowField.ND_SLL);
        put("NXM_NX_ND_TLL", FlowField.ND_TLL);
        put("NXM_NX_IP_FRAG", FlowField.NW_FRAG);
        put("NXM_NX_TCP_FLAGS", FlowField.TCP_FLAGS);
        put("OXM_OF_SCTP_SRC", FlowField.TP_SRC);
        put("OXM_OF_SCTP_DST", FlowField.TP_DST);
        put("OXM_OF_METADATA", FlowField.METADATA);
        put("ONFOXM_ET_ACTSET_OUTPUT", FlowField.ACTSET_OUTPUT);
        put("NXM_NX_CT_STATE", FlowField.CT_STATE);
        put("NXM_NX_CT_ZONE", FlowField.CT_ZONE);
        put("NXM_NX_CT_MARK", FlowField.CT_MARK);
        put("NXM_NX_CT_LABEL", FlowField.CT_LABEL);
        put("NXM_NX_CT_NW_PROTO", FlowField.CT_NW_PROTO);
        put("NXM_NX_CT_NW_SRC", FlowField.CT_NW_SRC);
        put("NXM_NX_CT_NW_DST", FlowField.CT_NW_DST);
        put("NXM_NX_CT_IPV6_SRC", FlowField.CT_IPV6_SRC);
        put("NXM_NX_CT_IPV6_DST", FlowField.CT_IPV6_DST);
        put("NXM_NX_CT_TP_SRC", FlowField.CT_TP_SRC);
        put("NXM_NX_CT_TP_DST", FlowField.CT_TP_DST);
        for (int i = 0; i < 16; i++) {
            put("NXM_NX_REG" + i, FlowField.byName("reg" + i));
        }
        for (int i = 0; i < 8; i++) {
            put("OXM_OF_PKT_REG" + i, FlowField.byName("xreg" + i));
        }
        for (int i = 0; i < 4; i++) {
            put("NXM_NX_XXREG" + i, FlowField.byName("xxreg" + i));
        }
        for (int i = 0; i < 64; i++) {
            put("NXM_NX_TUN_METADATA" + i, FlowField.tunMetadata(i));
        }
    }

    static {
        MF_NAMES.put(FlowField.NW_SRC, "ip_src");
        MF_NAMES.put(FlowField.NW_DST, "ip_dst");
        MF_NAMES.put(FlowField.SKB_MARK, "pkt_mark");
        MF_NAMES.put(FlowField.NW_FRAG, "ip_frag");
    }

    private NxmNames() {
    }

    private static void put(String name, FlowField f) {
        BY_NAME.put(name, f);
        String had = PRINTED.get(f);
        if (had == null || (had.startsWith("OXM") && name.startsWith("NXM"))) {
            PRINTED.put(f, name);
        }
    }

    /**
     * The name OVS prints for field {@code f} in a subfield; TCP/UDP/SCTP ports by
     * {@code nwProto} (6, 17 or 132; anything else names TCP's, as OVS's {@code tp_src} does).
     */
    static String printed(FlowField f, int nwProto) {
        if (f == FlowField.TP_SRC || f == FlowField.TP_DST) {
            String end = f == FlowField.TP_SRC ? "_SRC" : "_DST";
            switch (nwProto) {
                case 17:
                    return "NXM_OF_UDP" + end;
                case 132:
                    return "OXM_OF_SCTP" + end;
                default:
                    return "NXM_OF_TCP" + end;
            }
        }
        String n = PRINTED.get(f);
        return n != null ? n : f.ovsName();
    }

    /** OVS's own name of field {@code f} ({@code ip_src} for nw_src; ports by {@code nwProto}). */
    static String mfName(FlowField f, int nwProto) {
        if (f == FlowField.TP_SRC || f == FlowField.TP_DST) {
            String p = nwProto == 17 ? "udp" : nwProto == 132 ? "sctp" : "tcp";
            return p + (f == FlowField.TP_SRC ? "_src" : "_dst");
        }
        String n = MF_NAMES.get(f);
        return n != null ? n : f.ovsName();
    }

    /**
     * {@code ref} as OVS prints a subfield: {@code NXM_NX_REG0[]}, {@code NXM_NX_REG1[3]},
     * {@code OXM_OF_METADATA[0..7]}. The 16 low bits of in_port are OVS's whole
     * {@code NXM_OF_IN_PORT[]}; all 32 are {@code OXM_OF_IN_PORT[]}.
     */
    static StringBuilder subfield(StringBuilder sb, FieldRef ref, int nwProto) {
        FlowField f = ref.field();
        int width = f.widthBits();
        if (f == FlowField.IN_PORT) {
            boolean oxm = ref.start() + ref.nBits() > IN_PORT_16;
            sb.append(oxm ? "OXM_OF_IN_PORT" : "NXM_OF_IN_PORT");
            width = oxm ? width : IN_PORT_16;
        } else {
            sb.append(printed(f, nwProto));
        }
        if (ref.start() == 0 && ref.nBits() == width) {
            return sb.append("[]");
        }
        if (ref.nBits() == 1) {
            return sb.append('[').append(ref.start()).append(']');
        }
        return sb.append('[').append(ref.start()).append("..").append(ref.end()).append(']');
    }

    /** The protocol ({@code nw_proto}) a match fixes, or 0: what names its port fields. */
    static int protoOf(dev.jvswitch.ofproto.match.Match m) {
        return m != null && m.isExact(FlowField.NW_PROTO) ? (int) m.value(FlowField.NW_PROTO) : 0;
    }

    /** The field with NXM or OXM name {@code name} (as OVS spells it, upper case), or null. */
    static FlowField field(String name) {
        return BY_NAME.get(name);
    }
}
