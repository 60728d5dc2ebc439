package dev.jvswitch.ofproto.trace;

import dev.jvswitch.flowcache.key.Addresses;
import dev.jvswitch.flowcache.key.CtMatchText;
import dev.jvswitch.flowcache.key.FieldFormat;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.ofproto.tnl.OptionText;
import dev.jvswitch.ofproto.tnl.TlvMap;
import dev.jvswitch.ofproto.port.OfPorts;
import dev.jvswitch.pmd.tunnel.UdpTunnel;

/**
 * OVS's {@code match_format} over a flow key and mask, as {@code ofproto/trace} prints its
 * {@code Flow:}, {@code Final flow:} and {@code Megaflow:} lines (in_port is the OpenFlow port),
 * e.g. {@code recirc_id=0,eth,tcp,in_port=1,nw_dst=10.0.0.2,nw_frag=no,tp_dst=80}.
 * {@link #flow} is OVS's {@code flow_format}: the fields a packet of its kind has, with zero
 * metadata left out.
 */
final class OvsFlowFormat {
    private static final int TUN_METADATA_FIELDS = 64;
    private final StringBuilder s = new StringBuilder(160);
    private final FlowKey f;
    private final FlowMask m;
    /** The key's present tun_metadataN (a pipeline word: not in a megaflow's mask). */
    private long present;
    /** The bridge's TLV map: a longer option's tun_metadataN is printed whole, from its slots. */
    private TlvMap map = TlvMap.EMPTY;

    private OvsFlowFormat(FlowKey f, FlowMask m) {
        this.f = f;
        this.m = m;
    }

    /** The megaflow {@code key & mask}: values are printed masked, as OVS's {@code match_init} leaves them. */
    static String match(FlowKey key, FlowMask mask) {
        return match(key, mask, TlvMap.EMPTY);
    }

    /** {@link #match(FlowKey, FlowMask)} with {@code tun_metadataN} laid out by bridge's TLV map {@code map}. */
    static String match(FlowKey key, FlowMask mask, TlvMap map) {
        FlowKey masked = new FlowKey();
        FlowMask.apply(key, mask, masked);
        OvsFlowFormat format = new OvsFlowFormat(masked, mask);
        format.present = key.get(FlowField.TUN_METADATA_PRESENT);
        format.map = map;
        return format.format();
    }

    /** A whole packet's flow (OVS's {@code flow_format}). */
    static String flow(FlowKey key) {
        return flow(key, TlvMap.EMPTY);
    }

    /** {@link #flow(FlowKey)} with {@code tun_metadataN} laid out by bridge's TLV map {@code map}. */
    static String flow(FlowKey key, TlvMap map) {
        return match(key, packetMask(key), map);
    }

    /** OVS's {@code flow_wildcards_init_for_packet}, minus the zero metadata {@code flow_format} hides. */
    static FlowMask packetMask(FlowKey k) {
        FlowMask w = new FlowMask();
        if (k.get(FlowField.TUN_DST) != 0 || k.get(FlowField.TUN_SRC) != 0) {
            if ((k.get(FlowField.TUN_FLAGS) & 8) != 0) {
                w.exact(FlowField.TUN_ID);
            }
            for (FlowField t : new FlowField[] {FlowField.TUN_SRC, FlowField.TUN_DST, FlowField.TUN_FLAGS,
                FlowField.TUN_TOS, FlowField.TUN_TTL, FlowField.TUN_TP_SRC, FlowField.TUN_TP_DST}) {
                w.exact(t);
            }
        } else if (k.get(FlowField.TUN_ID) != 0) {
            w.exact(FlowField.TUN_ID);
        }
        for (FlowField meta : new FlowField[] {FlowField.SKB_MARK, FlowField.RECIRC_ID, FlowField.DP_HASH,
            FlowField.IN_PORT}) {
            if (k.get(meta) != 0) {
                w.exact(meta);
            }
        }
        CtMatchText.exactWhereSet(k, w);
        w.exact(FlowField.ETH_DST).exact(FlowField.ETH_SRC).exact(FlowField.ETH_TYPE);
        w.exact(FlowField.VLAN_TPID).exact(FlowField.VLAN_TCI);
        if (k.get(FlowField.VLAN_TCI) != 0) {
            w.exact(FlowField.VLAN_TPID1).exact(FlowField.VLAN_TCI1);
        }
        int type = k.ethType();
        if (type == FlowKey.ETH_TYPE_IPV4) {
            w.exact(FlowField.NW_SRC).exact(FlowField.NW_DST);
        } else if (type == FlowKey.ETH_TYPE_IPV6) {
            w.exact(FlowField.IPV6_SRC).exact(FlowField.IPV6_DST).exact(FlowField.IPV6_LABEL);
            if (FlowField.ND_TARGET.prerequisitesMet(k)) {
                w.exact(FlowField.ARP_SHA).exact(FlowField.ARP_THA).exact(FlowField.ND_TARGET);
            }
        } else if (type == FlowKey.ETH_TYPE_ARP || type == FlowKey.ETH_TYPE_RARP) {
            w.exact(FlowField.NW_SRC).exact(FlowField.NW_DST).exact(FlowField.NW_PROTO);
            w.exact(FlowField.ARP_SHA).exact(FlowField.ARP_THA);
            return w;
        } else {
            return w;
        }
        w.exact(FlowField.NW_FRAG).exact(FlowField.NW_TOS).exact(FlowField.NW_TTL).exact(FlowField.NW_PROTO);
        int proto = k.nwProto();
        if ((k.nwFrag() & FlowKey.FRAG_LATER) == 0 && (proto == FlowKey.IPPROTO_ICMP
                || proto == FlowKey.IPPROTO_ICMPV6 || proto == FlowKey.IPPROTO_TCP || proto == FlowKey.IPPROTO_UDP
                || proto == FlowKey.IPPROTO_SCTP)) {
            w.exact(FlowField.TP_SRC).exact(FlowField.TP_DST);
            if (proto == FlowKey.IPPROTO_TCP) {
                w.exact(FlowField.TCP_FLAGS);
            }
        }
        return w;
    }

    private String format() {
        u32("pkt_mark", FlowField.SKB_MARK);
        boolean megaflow = m.get(FlowField.RECIRC_ID) != 0;
        u32("recirc_id", FlowField.RECIRC_ID);
        u32("dp_hash", FlowField.DP_HASH);
        CtMatchText.append(s, f, m);
        if (megaflow) {
            s.append("eth,");
        }
        int type = f.ethType();
        boolean typeMasked = m.get(FlowField.ETH_TYPE) != 0;
        boolean protoMasked = m.get(FlowField.NW_PROTO) != 0;
        boolean skipType = false;
        boolean skipProto = false;
        if (typeMasked) {
            String name = protoName(type, protoMasked ? f.nwProto() : -1);
            if (name != null) {
                s.append(name).append(',');
                skipType = true;
                // Only an IP protocol's name says nw_proto; "arp" leaves arp_op to print (OVS's match_format).
                skipProto = protoMasked && !name.equals("ip") && !name.equals("ipv6") && !name.equals("arp")
                        && !name.equals("rarp");
            }
        }
        tunnel();
        if (m.get(FlowField.IN_PORT) != 0) {
            s.append("in_port=").append(OfPorts.format((int) f.get(FlowField.IN_PORT))).append(',');
        }
        vlan("", FlowField.VLAN_TCI);
        if (m.get(FlowField.VLAN_TCI) != 0) {
            vlan("1", FlowField.VLAN_TCI1);
        }
        eth("dl_src", FlowField.ETH_SRC);
        eth("dl_dst", FlowField.ETH_DST);
        if (!skipType && typeMasked) {
            s.append(String.format("dl_type=0x%04x,", type));
        }
        boolean arp = type == FlowKey.ETH_TYPE_ARP || type == FlowKey.ETH_TYPE_RARP;
        if (type == FlowKey.ETH_TYPE_IPV6) {
            ipv6("ipv6_src", FlowField.IPV6_SRC);
            ipv6("ipv6_dst", FlowField.IPV6_DST);
            long label = m.get(FlowField.IPV6_LABEL);
            if (label != 0) {
                s.append(String.format("ipv6_label=0x%05x", f.get(FlowField.IPV6_LABEL)));
                s.append(label == 0xfffff ? "," : String.format("/0x%05x,", label));
            }
        } else if (arp) {
            ipv4("arp_spa", FlowField.NW_SRC);
            ipv4("arp_tpa", FlowField.NW_DST);
        } else {
            ipv4("nw_src", FlowField.NW_SRC);
            ipv4("nw_dst", FlowField.NW_DST);
        }
        if (!skipProto && protoMasked) {
            s.append(arp ? "arp_op=" : "nw_proto=").append(f.get(FlowField.NW_PROTO)).append(',');
        }
        if (arp) {
            eth("arp_sha", FlowField.ARP_SHA);
            eth("arp_tha", FlowField.ARP_THA);
        }
        long tos = m.get(FlowField.NW_TOS);
        if ((tos & 0xfc) != 0) {
            s.append("nw_tos=").append(f.get(FlowField.NW_TOS) & 0xfc).append(',');
        }
        if ((tos & 0x03) != 0) {
            s.append("nw_ecn=").append(f.get(FlowField.NW_TOS) & 0x03).append(',');
        }
        if (m.get(FlowField.NW_TTL) != 0) {
            s.append("nw_ttl=").append(f.get(FlowField.NW_TTL)).append(',');
        }
        frag();
        int proto = f.nwProto();
        if (type == FlowKey.ETH_TYPE_IPV4 && proto == FlowKey.IPPROTO_ICMP) {
            u16("icmp_type", FlowField.TP_SRC);
            u16("icmp_code", FlowField.TP_DST);
        } else if (type == FlowKey.ETH_TYPE_IPV6 && proto == FlowKey.IPPROTO_ICMPV6) {
            u16("icmp_type", FlowField.TP_SRC);
            u16("icmp_code", FlowField.TP_DST);
            ipv6("nd_target", FlowField.ND_TARGET);
            eth("nd_sll", FlowField.ARP_SHA);
            eth("nd_tll", FlowField.ARP_THA);
        } else {
            u16("tp_src", FlowField.TP_SRC);
            u16("tp_dst", FlowField.TP_DST);
        }
        long flagsMask = m.get(FlowField.TCP_FLAGS);
        if ((type == FlowKey.ETH_TYPE_IPV4 || type == FlowKey.ETH_TYPE_IPV6) && proto == FlowKey.IPPROTO_TCP
                && flagsMask != 0) {
            s.append("tcp_flags=");
            tcpFlags((int) f.get(FlowField.TCP_FLAGS), (int) flagsMask);
            s.append(',');
        }
        if (s.length() > 0 && s.charAt(s.length() - 1) == ',') {
            s.setLength(s.length() - 1);
        }
        return s.toString();
    }

    /** The shorthand for eth_type (and nw_proto, -1 when not matched) as match_format writes it. */
    private static String protoName(int type, int proto) {
        if (type == FlowKey.ETH_TYPE_IPV4 || type == FlowKey.ETH_TYPE_IPV6) {
            String v6 = type == FlowKey.ETH_TYPE_IPV6 ? "6" : "";
            switch (proto) {
                case FlowKey.IPPROTO_ICMP:
                    return v6.isEmpty() ? "icmp" : "ipv6";
                case FlowKey.IPPROTO_ICMPV6:
                    return v6.isEmpty() ? "ip" : "icmp6";
                case FlowKey.IPPROTO_TCP:
                    return "tcp" + v6;
                case FlowKey.IPPROTO_UDP:
                    return "udp" + v6;
                case FlowKey.IPPROTO_SCTP:
                    return "sctp" + v6;
                default:
                    return v6.isEmpty() ? "ip" : "ipv6";
            }
        }
        if (type == FlowKey.ETH_TYPE_ARP) {
            return "arp";
        }
        return type == FlowKey.ETH_TYPE_RARP ? "rarp" : null;
    }

    private void tunnel() {
        if (m.get(FlowField.TUN_ID) != 0) {
            s.append("tun_id=0x").append(Long.toHexString(f.get(FlowField.TUN_ID)));
            if (m.get(FlowField.TUN_ID) != -1L) {
                s.append("/0x").append(Long.toHexString(m.get(FlowField.TUN_ID)));
            }
            s.append(',');
        }
        ipv4("tun_src", FlowField.TUN_SRC);
        ipv4("tun_dst", FlowField.TUN_DST);
        if (m.get(FlowField.TUN_TOS) != 0) {
            s.append("tun_tos=").append(Long.toHexString(f.get(FlowField.TUN_TOS))).append(',');
        }
        if (m.get(FlowField.TUN_TTL) != 0) {
            s.append("tun_ttl=").append(f.get(FlowField.TUN_TTL)).append(',');
        }
        long flagsMask = m.get(FlowField.TUN_FLAGS) & 0xf;
        if (flagsMask != 0) {
            s.append("tun_flags=");
            FieldFormat.TUNNEL_FLAGS.append(s, f.get(FlowField.TUN_FLAGS) & flagsMask);
            s.append(',');
        }
        // Options in their translated form (a traced flow that names them); a popped packet's
        // raw options have no tun_metadataN of their own here.
        if ((f.get(FlowField.TUN_FLAGS) & UdpTunnel.FLAG_UDPIF) == 0) {
            for (int i = 0; i < TUN_METADATA_FIELDS; i++) {
                if (map.lengthOf(i) > TlvMap.SLOT_BYTES) {
                    longOption(i);
                } else if (map.isExtensionSlot(i)) {
                    continue; // bytes of a longer option, printed with it
                } else if ((present & 1L << i) == 0 && m.get(FlowField.tunMetadata(i)) != 0) {
                    s.append("tun_metadata").append(i).append("=NP,"); // OVS's "not present"
                } else {
                    u32("tun_metadata" + i, FlowField.tunMetadata(i));
                }
            }
        }
    }

    /** A longer option's {@code tun_metadata<index>}, its bytes gathered from its slots. */
    private void longOption(int index) {
        byte[] mask = OptionText.gather(map, index, slot -> m.get(FlowField.tunMetadata(slot)));
        if (OptionText.allZero(mask)) {
            return;
        }
        if ((present & 1L << index) == 0) {
            s.append("tun_metadata").append(index).append("=NP,");
            return;
        }
        OptionText.appendField(s, "tun_metadata" + index,
                OptionText.gather(map, index, slot -> f.get(FlowField.tunMetadata(slot))), mask);
    }

    private void u32(String name, FlowField field) {
        long mask = m.get(field);
        if (mask == 0) {
            return;
        }
        s.append(name).append('=').append(hex(f.get(field)));
        if (mask != 0xffff_ffffL) {
            s.append('/').append(hex(mask));
        }
        s.append(',');
    }

    /** C's {@code %#x}: {@code 0} for zero, else {@code 0x...}. */
    private static String hex(long v) {
        return v == 0 ? "0" : "0x" + Long.toHexString(v);
    }

    private void u16(String name, FlowField field) {
        long mask = m.get(field);
        if (mask == 0) {
            return;
        }
        s.append(name).append('=');
        if (mask == 0xffff) {
            s.append(f.get(field));
        } else {
            s.append("0x").append(Long.toHexString(f.get(field))).append("/0x").append(Long.toHexString(mask));
        }
        s.append(',');
    }

    private void vlan(String suffix, FlowField tci) {
        int mask = (int) m.get(tci);
        int value = (int) f.get(tci);
        if (mask == 0 || (mask == FlowKey.VLAN_CFI && (value & FlowKey.VLAN_CFI) == 0)) {
            // Only "this tag is absent": OVS's datapath key says that with its Ethernet type and
            // its Megaflow line shows nothing (xlate_wc_finish clears masks of absent tags).
            return;
        }
        int vidMask = mask & FlowKey.VLAN_VID_MASK;
        int pcpMask = mask & (7 << FlowKey.VLAN_PCP_SHIFT);
        boolean cfi = (mask & FlowKey.VLAN_CFI) != 0;
        if (cfi && (value & FlowKey.VLAN_CFI) != 0 && (vidMask == 0 || vidMask == FlowKey.VLAN_VID_MASK)
                && (pcpMask == 0 || pcpMask == 7 << FlowKey.VLAN_PCP_SHIFT) && (vidMask != 0 || pcpMask != 0)) {
            if (vidMask != 0) {
                s.append("dl_vlan").append(suffix).append('=').append(value & FlowKey.VLAN_VID_MASK).append(',');
            }
            if (pcpMask != 0) {
                s.append("dl_vlan_pcp").append(suffix).append('=').append(value >>> FlowKey.VLAN_PCP_SHIFT)
                        .append(',');
            }
        } else if (mask == 0xffff) {
            s.append(String.format("vlan_tci%s=0x%04x,", suffix, value));
        } else {
            s.append(String.format("vlan_tci%s=0x%04x/0x%04x,", suffix, value, mask));
        }
    }

    private void eth(String name, FlowField field) {
        long mask = m.get(field);
        if (mask == 0) {
            return;
        }
        s.append(name).append('=');
        Addresses.appendMac(s, f.get(field));
        if (mask != 0xffff_ffff_ffffL) {
            s.append('/');
            Addresses.appendMac(s, mask);
        }
        s.append(',');
    }

    private void ipv4(String name, FlowField field) {
        long mask = m.get(field);
        if (mask == 0) {
            return;
        }
        s.append(name).append('=');
        Addresses.appendIpv4(s, (int) f.get(field));
        int m32 = (int) mask;
        int ones = Integer.numberOfLeadingZeros(~m32);
        if (m32 != -1) {
            if (m32 << ones == 0) {
                s.append('/').append(ones);
            } else {
                s.append('/');
                Addresses.appendIpv4(s, (int) mask);
            }
        }
        s.append(',');
    }

    private void ipv6(String name, FlowField field) {
        long mh = m.getHigh(field);
        long ml = m.getLow(field);
        if (mh == 0 && ml == 0) {
            return;
        }
        s.append(name).append('=');
        Addresses.appendIpv6(s, f.getHigh(field), f.getLow(field));
        if (mh != -1L || ml != -1L) {
            int ones = mh == -1L ? 64 + Long.numberOfLeadingZeros(~ml) : Long.numberOfLeadingZeros(~mh);
            boolean cidr = ones < 64 ? ml == 0 && (mh << ones) == 0 : (ml << (ones - 64)) == 0;
            s.append('/');
            if (cidr) {
                s.append(ones);
            } else {
                Addresses.appendIpv6(s, mh, ml);
            }
        }
        s.append(',');
    }

    private void frag() {
        int mask = (int) m.get(FlowField.NW_FRAG) & 3;
        int v = (int) f.get(FlowField.NW_FRAG);
        if (mask == 3) {
            s.append("nw_frag=").append((v & 1) != 0 ? ((v & 2) != 0 ? "later" : "first")
                    : ((v & 2) != 0 ? "<error>" : "no")).append(',');
        } else if (mask == 1) {
            s.append("nw_frag=").append((v & 1) != 0 ? "yes" : "no").append(',');
        } else if (mask == 2) {
            s.append("nw_frag=").append((v & 2) != 0 ? "later" : "not_later").append(',');
        }
    }

    private void tcpFlags(int flags, int mask) {
        FieldFormat.TCP_FLAGS.appendMaskedFlags(s, flags, mask, FlowField.TCP_FLAGS.valueMask());
    }
}
