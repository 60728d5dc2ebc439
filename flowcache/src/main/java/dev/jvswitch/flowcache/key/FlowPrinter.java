package dev.jvswitch.flowcache.key;

import static dev.jvswitch.flowcache.key.FlowField.ARP_OP;
import static dev.jvswitch.flowcache.key.FlowField.ARP_SHA;
import static dev.jvswitch.flowcache.key.FlowField.ARP_SPA;
import static dev.jvswitch.flowcache.key.FlowField.ARP_THA;
import static dev.jvswitch.flowcache.key.FlowField.ARP_TPA;
import static dev.jvswitch.flowcache.key.FlowField.DP_HASH;
import static dev.jvswitch.flowcache.key.FlowField.ETH_DST;
import static dev.jvswitch.flowcache.key.FlowField.ETH_SRC;
import static dev.jvswitch.flowcache.key.FlowField.ETH_TYPE;
import static dev.jvswitch.flowcache.key.FlowField.ICMPV6_CODE;
import static dev.jvswitch.flowcache.key.FlowField.ICMPV6_TYPE;
import static dev.jvswitch.flowcache.key.FlowField.ICMP_CODE;
import static dev.jvswitch.flowcache.key.FlowField.ICMP_TYPE;
import static dev.jvswitch.flowcache.key.FlowField.IN_PORT;
import static dev.jvswitch.flowcache.key.FlowField.IPV6_DST;
import static dev.jvswitch.flowcache.key.FlowField.IPV6_LABEL;
import static dev.jvswitch.flowcache.key.FlowField.IPV6_SRC;
import static dev.jvswitch.flowcache.key.FlowField.ND_SLL;
import static dev.jvswitch.flowcache.key.FlowField.ND_TARGET;
import static dev.jvswitch.flowcache.key.FlowField.ND_TLL;
import static dev.jvswitch.flowcache.key.FlowField.NW_DST;
import static dev.jvswitch.flowcache.key.FlowField.NW_FRAG;
import static dev.jvswitch.flowcache.key.FlowField.NW_PROTO;
import static dev.jvswitch.flowcache.key.FlowField.NW_SRC;
import static dev.jvswitch.flowcache.key.FlowField.NW_TOS;
import static dev.jvswitch.flowcache.key.FlowField.NW_TTL;
import static dev.jvswitch.flowcache.key.FlowField.RECIRC_ID;
import static dev.jvswitch.flowcache.key.FlowField.SKB_MARK;
import static dev.jvswitch.flowcache.key.FlowField.TCP_FLAGS;
import static dev.jvswitch.flowcache.key.FlowField.TP_DST;
import static dev.jvswitch.flowcache.key.FlowField.TP_SRC;
import static dev.jvswitch.flowcache.key.FlowField.TUN_DST;
import static dev.jvswitch.flowcache.key.FlowField.TUN_FLAGS;
import static dev.jvswitch.flowcache.key.FlowField.TUN_ID;
import static dev.jvswitch.flowcache.key.FlowField.TUN_IPV6_DST;
import static dev.jvswitch.flowcache.key.FlowField.TUN_IPV6_SRC;
import static dev.jvswitch.flowcache.key.FlowField.TUN_SRC;
import static dev.jvswitch.flowcache.key.FlowField.TUN_TOS;
import static dev.jvswitch.flowcache.key.FlowField.TUN_TP_DST;
import static dev.jvswitch.flowcache.key.FlowField.TUN_TP_SRC;
import static dev.jvswitch.flowcache.key.FlowField.TUN_TTL;
import static dev.jvswitch.flowcache.key.FlowField.VLAN_TCI;
import static dev.jvswitch.flowcache.key.FlowField.VLAN_TCI1;
import static dev.jvswitch.flowcache.key.FlowField.VLAN_TPID;
import static dev.jvswitch.flowcache.key.FlowField.VLAN_TPID1;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.flowcache.tunnel.GeneveOptionsText;

/**
 * Writes a flow key, or a megaflow (key + mask), in OVS's datapath flow syntax, as
 * {@code ovs-appctl dpctl/dump-flows} prints it (OVS's {@code odp_flow_format} over the
 * attributes {@code odp_flow_key_from_flow} would emit), for example
 *
 * <pre>
 * recirc_id(0),in_port(1),eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02),eth_type(0x0800),
 *     ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=2)
 * </pre>
 *
 * <p>Attributes come in OVS's order: the ct attributes ({@link CtAttrPrinter}), recirc_id, dp_hash, tunnel, in_port, skb_mark, eth, VLAN
 * tags as {@code eth_type(tpid),vlan(..),encap(..)}, eth_type, ipv4/ipv6/arp, then
 * tcp(+tcp_flags)/udp/sctp/icmp/icmpv6(+nd). Which protocol attributes appear is decided by the
 * key (its eth_type and nw_proto), as in OVS.
 *
 * <ul>
 *   <li><b>Key only</b>: every field of every present attribute is printed. Metadata that OVS
 *       would print as zero is left out to keep the line short: {@code dp_hash} and
 *       {@code skb_mark} appear only when non-zero, {@code tunnel(..)} only with a tunnel
 *       source or destination.</li>
 *   <li><b>Key + mask</b>: values are printed as the key holds them, unmasked, as OVS prints
 *       the flow that created a megaflow (pass a masked key to see masked values). Which
 *       attributes exist is decided by the key, as above. A field with a zero mask is omitted, a partial mask is shown as {@code value/mask}, an attribute
 *       whose fields are all wildcarded is omitted, except the nested {@code tunnel()} and
 *       {@code encap()}, and {@code eth()} which always marks an Ethernet packet (we print no
 *       {@code packet_type}, as the kernel datapath does not).</li>
 * </ul>
 *
 * Slow path only (control socket, tests, logs): allocates freely.
 */
public final class FlowPrinter {
    private static final int TNL_F_OAM = 1;
    private static final int TNL_F_DF = 2;
    private static final int TNL_F_CSUM = 4;
    private static final int TNL_F_KEY = 8;
    private static final int TNL_F_MASK = 0xf;

    private final StringBuilder sb;
    private final FlowKey key;
    private final FlowMask mask;
    /** True until the current attribute list (top level or inside encap) has an entry. */
    private boolean firstAttr = true;
    /** True until the current attribute's field list has an entry. */
    private boolean firstField;

    private FlowPrinter(StringBuilder sb, FlowKey key, FlowMask mask) {
        this.sb = sb;
        this.key = key;
        this.mask = mask;
    }

    /** The key alone, every field shown. */
    public static String format(FlowKey key) {
        return append(new StringBuilder(160), key, null).toString();
    }

    /** A megaflow: matched fields only, partial masks as {@code value/mask}. */
    public static String format(FlowKey key, FlowMask mask) {
        return append(new StringBuilder(160), key, mask).toString();
    }

    /** Appends the key ({@code mask == null}) or the megaflow to {@code sb}. */
    public static StringBuilder append(StringBuilder sb, FlowKey key, FlowMask mask) {
        new FlowPrinter(sb, key, mask).printAll();
        return sb;
    }

    // ---------------------------------------------------------------- attributes in OVS order

    private void printAll() {
        if (CtAttrPrinter.append(sb, key, mask)) {
            firstAttr = false;
        }
        metaU32("recirc_id", RECIRC_ID, true);
        metaU32("dp_hash", DP_HASH, false);
        if (v(TUN_SRC) != 0 || v(TUN_DST) != 0 || hasIpv6Tunnel()) {
            tunnel();
        }
        inPort();
        metaU32("skb_mark", SKB_MARK, false);
        eth();
        vlansAndL3();
    }

    private boolean hasIpv6Tunnel() {
        return key.getHigh(TUN_IPV6_SRC) != 0 || key.getLow(TUN_IPV6_SRC) != 0
                || key.getHigh(TUN_IPV6_DST) != 0 || key.getLow(TUN_IPV6_DST) != 0;
    }

    private void metaU32(String name, FlowField f, boolean alwaysInKeyOnly) {
        long value = v(f);
        long m = m(f);
        if (mask == null ? !alwaysInKeyOnly && value == 0 : m == 0) {
            return;
        }
        beginAttr(name);
        hexAlt(value);
        if (m != f.valueMask()) {
            sb.append('/');
            hexAlt(m);
        }
        endAttr();
    }

    private void inPort() {
        long m = m(IN_PORT);
        if (mask != null && m == 0) {
            return;
        }
        beginAttr("in_port");
        sb.append(v(IN_PORT));
        if (m != IN_PORT.valueMask()) {
            sb.append('/');
            hexAlt(m);
        }
        endAttr();
    }

    private void tunnel() {
        beginAttr("tunnel");
        boolean hasTunId = v(TUN_ID) != 0 || (v(TUN_FLAGS) & TNL_F_KEY) != 0;
        if (hasTunId && m(TUN_ID) != 0) {
            field("tun_id=");
            sb.append("0x").append(Long.toHexString(v(TUN_ID)));
            if (m(TUN_ID) != -1L) {
                sb.append('/');
                hexAlt(m(TUN_ID));
            }
        }
        if (v(TUN_SRC) != 0) {
            ipv4("src", TUN_SRC);
        }
        if (v(TUN_DST) != 0) {
            ipv4("dst", TUN_DST);
        }
        if (key.getHigh(TUN_IPV6_SRC) != 0 || key.getLow(TUN_IPV6_SRC) != 0) {
            ipv6("ipv6_src", TUN_IPV6_SRC);
        }
        if (key.getHigh(TUN_IPV6_DST) != 0 || key.getLow(TUN_IPV6_DST) != 0) {
            ipv6("ipv6_dst", TUN_IPV6_DST);
        }
        if (v(TUN_TOS) != 0) {
            u8x("tos", TUN_TOS);
        }
        u8u("ttl", v(TUN_TTL), m(TUN_TTL));
        if (v(TUN_TP_SRC) != 0) {
            be16("tp_src", TUN_TP_SRC);
        }
        if (v(TUN_TP_DST) != 0) {
            be16("tp_dst", TUN_TP_DST);
        }
        geneve();
        int flags = (int) v(TUN_FLAGS) & (TNL_F_OAM | TNL_F_DF | TNL_F_CSUM) | (hasTunId ? TNL_F_KEY : 0);
        if (mask == null) {
            field("flags(");
            FlagNames.appendFlags(sb, FlagNames.TUNNEL, flags, '|').append(')');
        } else {
            int maskFlags = (int) m(TUN_FLAGS) & (TNL_F_OAM | TNL_F_DF | TNL_F_CSUM) | (hasTunId ? TNL_F_KEY : 0);
            if (maskFlags != 0) {
                field("flags(");
                FlagNames.appendMaskedFlags(sb, FlagNames.TUNNEL, flags, maskFlags, TNL_F_MASK).append(')');
            }
        }
        endAttr();
    }

    /** {@code geneve({class=..,...})}: the raw options of a datapath key, when it has any. */
    private void geneve() {
        int length = key.tunnelOptionsLength();
        if (length == 0) {
            return;
        }
        field("geneve(");
        GeneveOptionsText.append(sb, optionBytes(key.words(), length), mask == null ? null
                : optionBytes(mask.words(), length), 0, length).append(')');
    }

    private static UnsafeBuffer optionBytes(long[] words, int length) {
        UnsafeBuffer b = new UnsafeBuffer(new byte[(length + 7) & -8]);
        for (int i = 0; i < b.capacity() / 8; i++) {
            b.putLong(i * 8, words[FlowKey.TUN_METADATA_WORD + i], ByteOrder.BIG_ENDIAN);
        }
        return b;
    }

    private void eth() {
        if (mask != null && m(ETH_SRC) == 0 && m(ETH_DST) == 0) {
            beginAttr("eth");
            endAttr();
            return;
        }
        beginAttr("eth");
        mac("src", ETH_SRC);
        mac("dst", ETH_DST);
        endAttr();
    }

    /** VLAN tags as nested encap() levels, then eth_type and L3/L4 inside the innermost. */
    private void vlansAndL3() {
        FlowField[] tpids = {VLAN_TPID, VLAN_TPID1};
        FlowField[] tcis = {VLAN_TCI, VLAN_TCI1};
        int ethType = (int) v(ETH_TYPE);
        int depth = 0;
        boolean truncatedTag = false;
        for (int i = 0; i < tpids.length; i++) {
            long tci = v(tcis[i]);
            long tpid = v(tpids[i]);
            if (tci == 0) {
                if (!isVlanType(ethType)) {
                    break;
                }
                tpid = ethType;
                truncatedTag = true;
            }
            beginAttr("eth_type");
            sb.append(String.format("0x%04x", tpid));
            endAttr();
            vlanTci(tci, m(tcis[i]));
            beginAttr("encap");
            firstAttr = true;
            depth++;
            if (truncatedTag) {
                break;
            }
        }
        if (!truncatedTag) {
            l3AndL4(ethType);
        }
        for (int i = 0; i < depth; i++) {
            sb.append(')');
            firstAttr = false;
        }
    }

    private void vlanTci(long tci, long tciMask) {
        if (mask != null && tciMask == 0) {
            return;
        }
        beginAttr("vlan");
        int vid = (int) tci & FlowKey.VLAN_VID_MASK;
        int vidMask = (int) tciMask & FlowKey.VLAN_VID_MASK;
        int pcp = (int) tci >>> FlowKey.VLAN_PCP_SHIFT;
        int pcpMask = (int) tciMask >>> FlowKey.VLAN_PCP_SHIFT;
        if (vid != 0 || vidMask != 0) {
            field("vid=");
            sb.append(vid);
            if (vidMask != FlowKey.VLAN_VID_MASK) {
                sb.append("/0x").append(Integer.toHexString(vidMask));
            }
        }
        if (pcp != 0 || pcpMask != 0) {
            field("pcp=");
            sb.append(pcp);
            if (pcpMask != 7) {
                sb.append("/0x").append(Integer.toHexString(pcpMask));
            }
        }
        if ((tci & FlowKey.VLAN_CFI) == 0) {
            field("cfi=0");
        }
        endAttr();
    }

    private void l3AndL4(int ethType) {
        if (ethType < FlowKey.ETH_TYPE_MIN) {
            // OVS sends no eth_type for a non-Ethernet-II frame; a mask that matches it shows as 0/mask.
            if (mask != null && m(ETH_TYPE) != 0) {
                beginAttr("eth_type");
                sb.append(String.format("0/0x%04x", m(ETH_TYPE)));
                endAttr();
            }
            return;
        }
        if (mask == null || m(ETH_TYPE) != 0) {
            beginAttr("eth_type");
            sb.append(String.format("0x%04x", ethType));
            if (m(ETH_TYPE) != 0xffff) {
                sb.append(String.format("/0x%04x", m(ETH_TYPE)));
            }
            endAttr();
        }
        boolean ip4 = ethType == FlowKey.ETH_TYPE_IPV4;
        boolean ip6 = ethType == FlowKey.ETH_TYPE_IPV6;
        if (ip4) {
            ipv4Attr();
        } else if (ip6) {
            ipv6Attr();
        } else if (ethType == FlowKey.ETH_TYPE_ARP || ethType == FlowKey.ETH_TYPE_RARP) {
            arpAttr();
        }
        if ((ip4 || ip6) && (v(NW_FRAG) & FlowKey.FRAG_LATER) == 0) {
            l4(ip4, ip6);
        }
    }

    private void ipv4Attr() {
        if (allWildcard(NW_SRC, NW_DST, NW_PROTO, NW_TOS, NW_TTL) && fragMask() == 0) {
            return;
        }
        beginAttr("ipv4");
        ipv4("src", NW_SRC);
        ipv4("dst", NW_DST);
        u8u("proto", v(NW_PROTO), m(NW_PROTO));
        u8x("tos", NW_TOS);
        u8u("ttl", v(NW_TTL), m(NW_TTL));
        frag();
        endAttr();
    }

    private void ipv6Attr() {
        if (allWildcard(IPV6_SRC, IPV6_DST, IPV6_LABEL, NW_PROTO, NW_TOS, NW_TTL) && fragMask() == 0) {
            return;
        }
        beginAttr("ipv6");
        ipv6("src", IPV6_SRC);
        ipv6("dst", IPV6_DST);
        long labelMask = m(IPV6_LABEL);
        if (mask == null || labelMask != 0) {
            field("label=");
            hexAlt(v(IPV6_LABEL));
            if (labelMask != IPV6_LABEL.valueMask()) {
                sb.append('/');
                hexAlt(labelMask);
            }
        }
        u8u("proto", v(NW_PROTO), m(NW_PROTO));
        u8x("tclass", NW_TOS);
        u8u("hlimit", v(NW_TTL), m(NW_TTL));
        frag();
        endAttr();
    }

    private void arpAttr() {
        if (allWildcard(ARP_SPA, ARP_TPA, ARP_OP, ARP_SHA, ARP_THA)) {
            return;
        }
        beginAttr("arp");
        ipv4("sip", ARP_SPA);
        ipv4("tip", ARP_TPA);
        // OVS widens the 8-bit opcode to 16 bits, mapping 255 to 0xffff (so a full mask stays full).
        long op = v(ARP_OP) == 0xff ? 0xffff : v(ARP_OP);
        long opMask = m(ARP_OP) == 0xff ? 0xffff : m(ARP_OP);
        be16("op", op, opMask);
        mac("sha", ARP_SHA);
        mac("tha", ARP_THA);
        endAttr();
    }

    private void l4(boolean ip4, boolean ip6) {
        int proto = (int) v(NW_PROTO);
        if (proto == FlowKey.IPPROTO_TCP || proto == FlowKey.IPPROTO_UDP || proto == FlowKey.IPPROTO_SCTP) {
            if (!allWildcard(TP_SRC, TP_DST)) {
                beginAttr(proto == FlowKey.IPPROTO_TCP ? "tcp" : proto == FlowKey.IPPROTO_UDP ? "udp" : "sctp");
                be16("src", TP_SRC);
                be16("dst", TP_DST);
                endAttr();
            }
            if (proto == FlowKey.IPPROTO_TCP) {
                tcpFlags();
            }
        } else if (ip4 && proto == FlowKey.IPPROTO_ICMP) {
            icmp("icmp", ICMP_TYPE, ICMP_CODE);
        } else if (ip6 && proto == FlowKey.IPPROTO_ICMPV6) {
            icmp("icmpv6", ICMPV6_TYPE, ICMPV6_CODE);
            boolean nd = v(ICMPV6_CODE) == 0 && (v(ICMPV6_TYPE) == FlowKey.ND_NEIGHBOR_SOLICIT
                    || v(ICMPV6_TYPE) == FlowKey.ND_NEIGHBOR_ADVERT);
            if (nd && m(ICMPV6_TYPE) == 0xff && !allWildcard(ND_TARGET, ND_SLL, ND_TLL)) {
                beginAttr("nd");
                ipv6("target", ND_TARGET);
                mac("sll", ND_SLL);
                mac("tll", ND_TLL);
                endAttr();
            }
        }
    }

    private void icmp(String name, FlowField type, FlowField code) {
        if (allWildcard(type, code)) {
            return;
        }
        beginAttr(name);
        u8u("type", v(type), m(type));
        u8u("code", v(code), m(code));
        endAttr();
    }

    private void tcpFlags() {
        long flags = v(TCP_FLAGS);
        long m = m(TCP_FLAGS);
        if (mask == null ? flags == 0 : m == 0) {
            return;
        }
        beginAttr("tcp_flags");
        if (m == TCP_FLAGS.valueMask()) {
            FlagNames.appendFlags(sb, FlagNames.TCP, (int) flags, '|');
        } else {
            FlagNames.appendMaskedFlags(sb, FlagNames.TCP, (int) flags, (int) m, (int) TCP_FLAGS.valueMask());
        }
        endAttr();
    }

    // ---------------------------------------------------------------- field formats (OVS's format_*)

    private void ipv4(String name, FlowField f) {
        long m = m(f);
        if (mask != null && m == 0) {
            return;
        }
        field(name).append('=');
        Addresses.appendIpv4(sb, (int) v(f));
        if (m != 0xffff_ffffL) {
            sb.append('/');
            Addresses.appendIpv4(sb, (int) m);
        }
    }

    private void ipv6(String name, FlowField f) {
        long mh = mask == null ? -1L : mask.getHigh(f);
        long ml = mask == null ? -1L : mask.getLow(f);
        if (mh == 0 && ml == 0) {
            return;
        }
        field(name).append('=');
        Addresses.appendIpv6(sb, key.getHigh(f), key.getLow(f));
        if (mh != -1L || ml != -1L) {
            sb.append('/');
            Addresses.appendIpv6(sb, mh, ml);
        }
    }

    private void mac(String name, FlowField f) {
        long m = m(f);
        if (mask != null && m == 0) {
            return;
        }
        field(name).append('=');
        Addresses.appendMac(sb, v(f));
        if (m != f.valueMask()) {
            sb.append('/');
            Addresses.appendMac(sb, m);
        }
    }

    private void u8u(String name, long value, long m) {
        if (mask != null && m == 0) {
            return;
        }
        field(name).append('=').append(value);
        if (m != 0xff) {
            sb.append('/');
            hexAlt(m);
        }
    }

    private void u8x(String name, FlowField f) {
        long m = m(f);
        if (mask != null && m == 0) {
            return;
        }
        field(name).append('=');
        hexAlt(v(f));
        if (m != 0xff) {
            sb.append('/');
            hexAlt(m);
        }
    }

    private void be16(String name, FlowField f) {
        be16(name, v(f), m(f));
    }

    private void be16(String name, long value, long m) {
        if (mask != null && m == 0) {
            return;
        }
        field(name).append('=').append(value);
        if (m != 0xffff) {
            sb.append('/');
            hexAlt(m);
        }
    }

    private void frag() {
        if (fragMask() == 0) {
            return;
        }
        field("frag=").append(FlagNames.fragType((int) v(NW_FRAG)));
    }

    /** OVS turns the nw_frag bit mask into an all-or-nothing mask on the frag enumeration. */
    private int fragMask() {
        return (m(NW_FRAG) & FlowKey.FRAG_ANY) != 0 ? 0xff : 0;
    }

    // ---------------------------------------------------------------- plumbing

    private long v(FlowField f) {
        return key.get(f);
    }

    /** The field's mask; all ones when printing a key alone. */
    private long m(FlowField f) {
        return mask == null ? f.valueMask() : mask.get(f);
    }

    private boolean allWildcard(FlowField... fields) {
        if (mask == null) {
            return false;
        }
        for (FlowField f : fields) {
            if (!mask.isWildcard(f)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isVlanType(int ethType) {
        return ethType == FlowKey.ETH_TYPE_VLAN_8021Q || ethType == FlowKey.ETH_TYPE_VLAN_8021AD;
    }

    /** C's {@code %#x}: "0" for zero, else 0x-prefixed hex. */
    private void hexAlt(long value) {
        if (value == 0) {
            sb.append('0');
        } else {
            sb.append("0x").append(Long.toHexString(value));
        }
    }

    private void beginAttr(String name) {
        if (!firstAttr) {
            sb.append(',');
        }
        sb.append(name).append('(');
        firstAttr = false;
        firstField = true;
    }

    private void endAttr() {
        sb.append(')');
    }

    private StringBuilder field(String text) {
        if (!firstField) {
            sb.append(',');
        }
        firstField = false;
        return sb.append(text);
    }
}
