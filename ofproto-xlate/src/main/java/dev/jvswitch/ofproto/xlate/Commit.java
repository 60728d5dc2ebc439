package dev.jvswitch.ofproto.xlate;

import dev.jvswitch.flowcache.actions.DpField;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;

/**
 * Emits the datapath actions that make the packet look like the flow (OVS's
 * {@code commit_odp_actions}): for every field where the flow differs from what the datapath
 * packet will be ({@code base}), a {@code set}, and VLAN tags pushed and popped until the tag
 * stacks agree. Called right before anything hands the packet on (output, recirculation), and
 * only then, so a change that is undone before the next output costs nothing.
 *
 * <p><b>Masks.</b> A set writes the bits actions wrote to that field ({@code written}), as a
 * masked set when they are not the whole field, e.g. {@code set(ipv4(tos=0x20/0xfc))}. Only bits
 * that were written can differ, and written bits are in the megaflow mask, so whether a set is
 * emitted, and with what value, is the same for every packet of the megaflow. Tunnel fields take
 * no mask: their whole field is then written and goes into the megaflow mask.
 *
 * <p>Order as in OVS: tunnel, Ethernet, VLAN, IP or ARP, L4, skb_mark. The IPv6 tunnel addresses are
 * not committed: they matter only to a tunnel's header template, which reads them from the flow.
 */
final class Commit {
    private static final int VLAN_WORD = FlowField.VLAN_TCI.word();
    private static final long ETH_TYPE_ARP = 0x0806;
    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_ICMPV6 = 58;

    private Commit() {
    }

    static void commit(XlateContext c) {
        commit(c, true);
    }

    /**
     * @param tunnel whether to emit the tunnel metadata too; not before a {@code tnl_push},
     *               whose header template carries it (OVS's native tunnels do the same)
     */
    static void commit(XlateContext c, boolean tunnel) {
        FlowKey flow = c.flow;
        if (tunnel) {
            field(c, FlowField.TUN_ID, DpField.TUN_ID);
            field(c, FlowField.TUN_SRC, DpField.TUN_IPV4_SRC);
            field(c, FlowField.TUN_DST, DpField.TUN_IPV4_DST);
            field(c, FlowField.TUN_TOS, DpField.TUN_TOS);
            field(c, FlowField.TUN_TTL, DpField.TUN_TTL);
        }
        field(c, FlowField.ETH_SRC, DpField.ETH_SRC);
        field(c, FlowField.ETH_DST, DpField.ETH_DST);
        vlans(c);
        boolean l3 = (flow.isIpv4() || flow.isIpv6()) && l3Pending(c);
        if (l3) {
            // OVS's commit_set_nw_action: an IP packet with protocol 0 has no L3 header to set
            // ("really has an L3 header" there); the packet's nw_proto decides, so it is matched.
            c.wc.exact(FlowField.NW_PROTO);
        }
        if (l3 && flow.nwProto() == 0) {
            // Nothing to set.
        } else if (flow.isIpv4()) {
            field(c, FlowField.NW_SRC, DpField.IPV4_SRC);
            field(c, FlowField.NW_DST, DpField.IPV4_DST);
            field(c, FlowField.NW_TOS, DpField.IPV4_TOS);
            field(c, FlowField.NW_TTL, DpField.IPV4_TTL);
        } else if (flow.isIpv6()) {
            ipv6(c, FlowField.IPV6_SRC, true);
            ipv6(c, FlowField.IPV6_DST, false);
            field(c, FlowField.IPV6_LABEL, DpField.IPV6_LABEL);
            field(c, FlowField.NW_TOS, DpField.IPV6_TCLASS);
            field(c, FlowField.NW_TTL, DpField.IPV6_HLIMIT);
        }
        if (flow.get(FlowField.ETH_TYPE) == ETH_TYPE_ARP) {
            // OVS's commit_set_arp_action: sip, tip, op, sha, tha.
            field(c, FlowField.ARP_SPA, DpField.ARP_SIP);
            field(c, FlowField.ARP_TPA, DpField.ARP_TIP);
            field(c, FlowField.ARP_OP, DpField.ARP_OP);
            field(c, FlowField.ARP_SHA, DpField.ARP_SHA);
            field(c, FlowField.ARP_THA, DpField.ARP_THA);
        }
        if (flow.isIpv4() || flow.isIpv6()) {
            int proto = flow.nwProto();
            if (proto == DpField.IPPROTO_TCP || proto == DpField.IPPROTO_UDP || proto == DpField.IPPROTO_SCTP) {
                field(c, FlowField.TP_SRC, DpField.tpSrc(proto));
                field(c, FlowField.TP_DST, DpField.tpDst(proto));
            } else if (proto == IPPROTO_ICMP && flow.isIpv4()) {
                icmp(c, FlowField.ICMP_TYPE, FlowField.ICMP_CODE, DpField.ICMP_TYPE, DpField.ICMP_CODE);
            } else if (proto == IPPROTO_ICMPV6 && flow.isIpv6()) {
                icmp(c, FlowField.ICMPV6_TYPE, FlowField.ICMPV6_CODE, DpField.ICMPV6_TYPE, DpField.ICMPV6_CODE);
            }
        }
        field(c, FlowField.SKB_MARK, DpField.SKB_MARK);
    }

    private static final FlowField[] IPV4_FIELDS = {FlowField.NW_SRC, FlowField.NW_DST, FlowField.NW_TOS,
        FlowField.NW_TTL};
    private static final FlowField[] IPV6_FIELDS = {FlowField.IPV6_SRC, FlowField.IPV6_DST, FlowField.IPV6_LABEL,
        FlowField.NW_TOS, FlowField.NW_TTL};

    /** True if an IP header field the commit would set differs between flow and base. */
    private static boolean l3Pending(XlateContext c) {
        long[] f = c.flow.words();
        long[] b = c.base.words();
        FlowField[] fields = c.flow.isIpv4() ? IPV4_FIELDS : IPV6_FIELDS;
        for (FlowField x : fields) {
            for (int w = x.word(); w < x.word() + x.wordCount(); w++) {
                long m = x.is128() ? -1L : x.wordMask();
                if (((f[w] ^ b[w]) & m) != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** One field of at most 64 bits. */
    private static void field(XlateContext c, FlowField f, DpField d) {
        long fv = c.flow.get(f);
        long bv = c.base.get(f);
        if (fv == bv) {
            return;
        }
        long m;
        if (d.maskable()) {
            m = c.written.get(f) | (fv ^ bv);
        } else {
            m = f.valueMask();
            c.wc.exact(f);
        }
        if (m == d.fullMask()) {
            c.out.setField(d, fv);
        } else {
            c.out.setField(d, fv & m, m);
        }
        c.base.set(f, (bv & ~m) | (fv & m));
    }

    /**
     * OVS's commit_set_icmp_action: when the type or the code changed, both are set, unmasked
     * ({@code set(icmp(type=0,code=0))}), and both are exact in the megaflow.
     */
    private static void icmp(XlateContext c, FlowField type, FlowField code, DpField dType, DpField dCode) {
        long ft = c.flow.get(type);
        long fc = c.flow.get(code);
        if (ft == c.base.get(type) && fc == c.base.get(code)) {
            return;
        }
        c.wc.exact(type);
        c.wc.exact(code);
        c.out.setField(dType, ft);
        c.out.setField(dCode, fc);
        c.base.set(type, ft);
        c.base.set(code, fc);
    }

    /** An IPv6 address: both halves, each with the bits written to it, when either differs. */
    private static void ipv6(XlateContext c, FlowField f, boolean src) {
        int w = f.word();
        long[] fw = c.flow.words();
        long[] bw = c.base.words();
        if (fw[w] == bw[w] && fw[w + 1] == bw[w + 1]) {
            return;
        }
        long mh = c.written.words()[w] | (fw[w] ^ bw[w]);
        long ml = c.written.words()[w + 1] | (fw[w + 1] ^ bw[w + 1]);
        if (src) {
            c.out.setIpv6Src(fw[w] & mh, fw[w + 1] & ml, mh, ml);
        } else {
            c.out.setIpv6Dst(fw[w] & mh, fw[w + 1] & ml, mh, ml);
        }
        bw[w] = (bw[w] & ~mh) | (fw[w] & mh);
        bw[w + 1] = (bw[w + 1] & ~ml) | (fw[w + 1] & ml);
    }

    /**
     * OVS's {@code commit_vlan_action}: tags common to both stacks from the inside are kept; the
     * base's other tags are popped and the flow's pushed, innermost first. The whole VLAN word
     * then goes into the mask, since what is popped and kept depends on every tag.
     */
    private static void vlans(XlateContext c) {
        long fw = c.flow.words()[VLAN_WORD];
        long bw = c.base.words()[VLAN_WORD];
        if (fw == bw) {
            return;
        }
        c.unwildcardVlans();
        int fn = count(fw);
        int bn = count(bw);
        while (fn > 0 && bn > 0 && tag(fw, fn - 1) == tag(bw, bn - 1)) {
            fn--;
            bn--;
        }
        for (int i = 0; i < bn; i++) {
            c.out.popVlan();
        }
        for (int i = fn - 1; i >= 0; i--) {
            long t = tag(fw, i);
            c.out.pushVlan((int) (t >>> 16), (int) (t & 0xffff));
        }
        c.base.words()[VLAN_WORD] = fw;
    }

    /** Tags present in a VLAN word: the outer one, then the inner, each marked by its CFI bit. */
    private static int count(long w) {
        if ((tag(w, 0) & FlowKey.VLAN_CFI) == 0) {
            return 0;
        }
        return (tag(w, 1) & FlowKey.VLAN_CFI) == 0 ? 1 : 2;
    }

    /** Tag {@code i} (0 = outer) as {@code tpid << 16 | tci}. */
    private static long tag(long w, int i) {
        return i == 0 ? w >>> 32 : w & 0xffff_ffffL;
    }
}
