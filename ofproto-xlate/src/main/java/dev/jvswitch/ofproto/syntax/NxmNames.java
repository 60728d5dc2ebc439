package dev.jvswitch.ofproto.syntax;

import java.util.HashMap;
import java.util.Map;

import dev.jvswitch.flowcache.key.FlowField;

/**
 * The NXM and OXM names of flow fields ({@code NXM_NX_REG0}, {@code OXM_OF_METADATA}), which
 * ovs-ofctl accepts wherever an action names a field ({@code load}, {@code move}, {@code push},
 * {@code learn}, {@code multipath}, {@code bundle}) and which OVS prints in them. A match takes
 * only the plain names, as in OVS.
 */
final class NxmNames {
    private static final Map<String, FlowField> BY_NAME = new HashMap<>();

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
    }

    private NxmNames() {
    }

    private static void put(String name, FlowField f) {
        BY_NAME.put(name, f);
    }

    /** The field with NXM or OXM name {@code name} (as OVS spells it, upper case), or null. */
    static FlowField field(String name) {
        return BY_NAME.get(name);
    }
}
