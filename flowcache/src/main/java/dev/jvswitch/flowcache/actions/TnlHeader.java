package dev.jvswitch.flowcache.actions;

import static dev.jvswitch.flowcache.actions.DpActionsBuilder.hex;

import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.flowcache.tunnel.EthernetHeaderFlyweight;
import dev.jvswitch.flowcache.tunnel.GeneveHeaderFlyweight;
import dev.jvswitch.flowcache.tunnel.Ipv4HeaderFlyweight;
import dev.jvswitch.flowcache.tunnel.Ipv6HeaderFlyweight;
import dev.jvswitch.flowcache.tunnel.UdpHeaderFlyweight;
import dev.jvswitch.flowcache.tunnel.VxlanHeaderFlyweight;

/**
 * The tunnel header template of a {@code tnl_push} action: its checks, canonical form, and its
 * text form {@code header(size=50,type=4,eth(...),ipv4(...),udp(...),vxlan(...))} or, for
 * Geneve, {@code header(size=58,type=5,...,udp(...),geneve(crit,vni=0x7b,options(...)))} (see
 * {@link GeneveText}). The layout is the header flyweights' of
 * {@link dev.jvswitch.flowcache.tunnel}, stacked (Geneve: 8 bytes and its options where VXLAN's
 * 8 bytes are):
 *
 * <pre>
 *  VXLAN over IPv4 (50 bytes)            VXLAN over IPv6 (70 bytes)
 *   0 ethernet                            0 ethernet
 *  14 ipv4                               14 ipv6
 *  34 udp                                54 udp
 *  42 vxlan                              62 vxlan
 * </pre>
 *
 * <p>The text leaves out the IP and UDP lengths, the IPv4 id and checksum and the VXLAN
 * reserved byte (Geneve's too). The canonical template therefore has lengths 0, id 0, reserved 0 and the IPv4
 * checksum computed over the template itself (what OVS's {@code ovs_parse_tnl_push} rebuilds);
 * a tunnel port's push fixes lengths and checksum per packet.
 *
 * <p>Slow path only (flow syntax, flow installation, printing): it makes its flyweights per call.
 */
final class TnlHeader {
    static final int ETH_LEN = EthernetHeaderFlyweight.HEADER_LENGTH;
    static final int IPV4_LEN = Ipv4HeaderFlyweight.HEADER_LENGTH;
    static final int IPV6_LEN = Ipv6HeaderFlyweight.HEADER_LENGTH;
    static final int UDP_LEN = UdpHeaderFlyweight.HEADER_LENGTH;
    static final int VXLAN_LEN = VxlanHeaderFlyweight.HEADER_LENGTH;
    static final int ETH_TYPE_IPV4 = EthernetHeaderFlyweight.ETHER_TYPE_IPV4;
    static final int ETH_TYPE_IPV6 = EthernetHeaderFlyweight.ETHER_TYPE_IPV6;

    private TnlHeader() {
    }

    /** The flyweights of one template, wrapped over it layer by layer. */
    private static final class Layers {
        final UnsafeBuffer buffer;
        final EthernetHeaderFlyweight eth = new EthernetHeaderFlyweight();
        final Ipv4HeaderFlyweight ipv4 = new Ipv4HeaderFlyweight();
        final Ipv6HeaderFlyweight ipv6 = new Ipv6HeaderFlyweight();
        final UdpHeaderFlyweight udp = new UdpHeaderFlyweight();
        final VxlanHeaderFlyweight vxlan = new VxlanHeaderFlyweight();
        final GeneveHeaderFlyweight geneve = new GeneveHeaderFlyweight();

        Layers(byte[] h) {
            buffer = new UnsafeBuffer(h);
            eth.wrap(buffer, 0, ETH_LEN);
        }

        /** Wraps udp and vxlan (or geneve: the same 8 fixed bytes) after an IP header ending at {@code l4}. */
        void wrapL4(int l4) {
            udp.wrap(buffer, l4, UDP_LEN);
            vxlan.wrap(buffer, l4 + UDP_LEN, VXLAN_LEN);
            geneve.wrap(buffer, l4 + UDP_LEN, VXLAN_LEN);
        }
    }

    /** Checks {@code header} and returns a canonical copy. */
    static byte[] canonical(int tnlType, byte[] header) {
        if (header.length > DpActions.MAX_TNL_HEADER_BYTES) {
            throw new IllegalArgumentException("tnl_push: header of " + header.length + " bytes is longer than the "
                    + DpActions.MAX_TNL_HEADER_BYTES + " bytes of mbuf headroom");
        }
        if (tnlType != DpActions.TNL_TYPE_VXLAN && tnlType != DpActions.TNL_TYPE_GENEVE) {
            throw new IllegalArgumentException("tnl_push: tunnel type " + tnlType + " is not supported ("
                    + DpActions.TNL_TYPE_VXLAN + " = vxlan, " + DpActions.TNL_TYPE_GENEVE + " = geneve)");
        }
        String name = typeName(tnlType);
        if (header.length < ETH_LEN) {
            throw new IllegalArgumentException("tnl_push: header of " + header.length
                    + " bytes is shorter than an Ethernet header");
        }
        byte[] h = header.clone();
        Layers t = new Layers(h);
        int ethType = t.eth.etherType();
        int l4;
        if (ethType == ETH_TYPE_IPV4) {
            expectLength(h, name, "ipv4", ETH_LEN + IPV4_LEN + UDP_LEN + VXLAN_LEN);
            Ipv4HeaderFlyweight ip = t.ipv4.wrap(t.buffer, ETH_LEN, IPV4_LEN);
            if (ip.versionIhl() != Ipv4HeaderFlyweight.VERSION_IHL_NO_OPTIONS) {
                throw new IllegalArgumentException("tnl_push: header ipv4 version/ihl " + hex(ip.versionIhl())
                        + ", expected 0x45");
            }
            if (ip.identification() != 0) {
                throw new IllegalArgumentException("tnl_push: header ipv4 id " + hex(ip.identification())
                        + ", expected 0");
            }
            expectUdp(name, ip.protocol(), "ipv4 proto");
            ip.totalLength(0).checksum(ip.computeChecksum());
            l4 = ETH_LEN + IPV4_LEN;
        } else if (ethType == ETH_TYPE_IPV6) {
            expectLength(h, name, "ipv6", ETH_LEN + IPV6_LEN + UDP_LEN + VXLAN_LEN);
            Ipv6HeaderFlyweight ip = t.ipv6.wrap(t.buffer, ETH_LEN, IPV6_LEN);
            if (ip.version() != 6) {
                throw new IllegalArgumentException("tnl_push: header ipv6 version " + ip.version() + ", expected 6");
            }
            expectUdp(name, ip.nextHeader(), "ipv6 next header");
            ip.payloadLength(0);
            l4 = ETH_LEN + IPV6_LEN;
        } else {
            throw new IllegalArgumentException("tnl_push: header eth type " + String.format("0x%04x", ethType)
                    + " is neither IPv4 (0x0800) nor IPv6 (0x86dd)");
        }
        t.wrapL4(l4);
        t.udp.length(0);
        if (tnlType == DpActions.TNL_TYPE_GENEVE) {
            checkGeneve(t.geneve, h, l4 + UDP_LEN);
        } else if (h.length != l4 + UDP_LEN + VXLAN_LEN) {
            throw new IllegalArgumentException("tnl_push: vxlan header must be " + (l4 + UDP_LEN + VXLAN_LEN)
                    + " bytes, got " + h.length);
        } else if (t.vxlan.reserved() != 0) {
            throw new IllegalArgumentException("tnl_push: vxlan reserved byte " + hex(t.vxlan.reserved())
                    + ", expected 0");
        }
        return h;
    }

    /** The Geneve header at {@code at}: version 0, Ethernet inside, reserved 0, options that fill the rest exactly. */
    private static void checkGeneve(GeneveHeaderFlyweight g, byte[] h, int at) {
        if (g.version() != 0) {
            throw new IllegalArgumentException("tnl_push: geneve version " + g.version() + ", expected 0");
        }
        if (g.protocol() != GeneveHeaderFlyweight.PROTOCOL_TEB) {
            throw new IllegalArgumentException("tnl_push: geneve protocol " + hex(g.protocol()) + ", expected 0x6558");
        }
        if (g.reserved() != 0) {
            throw new IllegalArgumentException("tnl_push: geneve reserved byte " + hex(g.reserved()) + ", expected 0");
        }
        int expected = at + GeneveHeaderFlyweight.HEADER_LENGTH + g.optionsLength();
        if (h.length != expected) {
            throw new IllegalArgumentException("tnl_push: geneve header with " + g.optionsLength()
                    + " option bytes must be " + expected + " bytes, got " + h.length);
        }
        int critical = GeneveHeaderFlyweight.checkOptions(new UnsafeBuffer(h), at + GeneveHeaderFlyweight.OPTIONS_OFFSET,
                g.optionsLength());
        if (critical < 0) {
            throw new IllegalArgumentException("tnl_push: geneve options do not add up to their "
                    + g.optionsLength() + " bytes");
        }
    }

    static String typeName(int tnlType) {
        return tnlType == DpActions.TNL_TYPE_GENEVE ? "geneve" : "vxlan";
    }

    /** Appends {@code header(...)} as OVS's {@code format_odp_tnl_push_header} does. */
    static void format(StringBuilder sb, int tnlType, byte[] h) {
        Layers t = new Layers(h);
        sb.append("header(size=").append(h.length).append(",type=").append(tnlType).append(",eth(dst=");
        InetText.mac(sb, t.eth.dst());
        sb.append(",src=");
        InetText.mac(sb, t.eth.src());
        sb.append(",dl_type=").append(String.format("0x%04x", t.eth.etherType())).append("),");
        int l4;
        if (t.eth.etherType() == ETH_TYPE_IPV4) {
            Ipv4HeaderFlyweight ip = t.ipv4.wrap(t.buffer, ETH_LEN, IPV4_LEN);
            sb.append("ipv4(src=");
            InetText.ipv4(sb, ip.src());
            sb.append(",dst=");
            InetText.ipv4(sb, ip.dst());
            sb.append(",proto=").append(ip.protocol()).append(",tos=");
            InetText.altHex(sb, ip.tos());
            sb.append(",ttl=").append(ip.ttl()).append(",frag=");
            InetText.hex(sb, ip.flagsFragment());
            sb.append("),");
            l4 = ETH_LEN + IPV4_LEN;
        } else {
            Ipv6HeaderFlyweight ip = t.ipv6.wrap(t.buffer, ETH_LEN, IPV6_LEN);
            sb.append("ipv6(src=");
            InetText.ipv6(sb, ip.srcHi(), ip.srcLo());
            sb.append(",dst=");
            InetText.ipv6(sb, ip.dstHi(), ip.dstLo());
            sb.append(",label=").append(ip.flowLabel()).append(",proto=").append(ip.nextHeader()).append(",tclass=");
            InetText.hex(sb, ip.trafficClass());
            sb.append(",hlimit=").append(ip.hopLimit()).append("),");
            l4 = ETH_LEN + IPV6_LEN;
        }
        t.wrapL4(l4);
        sb.append("udp(src=").append(t.udp.srcPort()).append(",dst=").append(t.udp.dstPort()).append(",csum=");
        InetText.hex(sb, t.udp.checksum());
        if (tnlType == DpActions.TNL_TYPE_GENEVE) {
            sb.append("),");
            GeneveText.format(sb, t.buffer, l4 + UDP_LEN);
            sb.append(')');
            return;
        }
        sb.append("),vxlan(flags=");
        InetText.hex(sb, t.vxlan.flags() & 0xffffffffL);
        sb.append(",vni=");
        InetText.hex(sb, t.vxlan.vni());
        sb.append("))");
    }

    /**
     * Reads {@code header(...)} (the cursor is just past {@code header(}'s name) and returns
     * the template bytes; the tunnel type must be vxlan or geneve and size must match.
     */
    static byte[] parse(TextCursor in, int[] typeOut) {
        in.expect("header(size=");
        int sizePos = in.pos();
        int size = (int) in.unsigned("header size", 0xffff);
        in.expect(",type=");
        int type = (int) in.unsigned("tunnel type", 0xffffffffL);
        typeOut[0] = type;
        int tunnelRoom = type == DpActions.TNL_TYPE_GENEVE ? VXLAN_LEN + GeneveHeaderFlyweight.MAX_OPTIONS_BYTES
                : VXLAN_LEN;
        in.expect(",eth(dst=");
        long dst = in.mac("eth dst");
        in.expect(",src=");
        long src = in.mac("eth src");
        in.expect(",dl_type=");
        int ethType = (int) in.unsigned("dl_type", 0xffff);
        in.expect("),");
        int l4;
        byte[] h;
        Layers t;
        if (ethType == ETH_TYPE_IPV4) {
            h = new byte[ETH_LEN + IPV4_LEN + UDP_LEN + tunnelRoom];
            t = new Layers(h);
            Ipv4HeaderFlyweight ip = t.ipv4.wrap(t.buffer, ETH_LEN, IPV4_LEN);
            in.expect("ipv4(src=");
            ip.src(in.ipv4("ipv4 src"));
            in.expect(",dst=");
            ip.dst(in.ipv4("ipv4 dst"));
            in.expect(",proto=");
            ip.protocol((int) in.unsigned("ipv4 proto", 0xff));
            in.expect(",tos=");
            ip.tos((int) in.unsigned("ipv4 tos", 0xff));
            in.expect(",ttl=");
            ip.ttl((int) in.unsigned("ipv4 ttl", 0xff));
            in.expect(",frag=");
            ip.flagsFragment((int) in.unsigned("ipv4 frag", 0xffff));
            in.expect("),");
            ip.versionIhl(Ipv4HeaderFlyweight.VERSION_IHL_NO_OPTIONS);
            l4 = ETH_LEN + IPV4_LEN;
        } else if (ethType == ETH_TYPE_IPV6) {
            h = new byte[ETH_LEN + IPV6_LEN + UDP_LEN + tunnelRoom];
            t = new Layers(h);
            Ipv6HeaderFlyweight ip = t.ipv6.wrap(t.buffer, ETH_LEN, IPV6_LEN);
            in.expect("ipv6(src=");
            long[] s6 = in.ipv6("ipv6 src");
            in.expect(",dst=");
            long[] d6 = in.ipv6("ipv6 dst");
            in.expect(",label=");
            int label = (int) in.unsigned("ipv6 label", 0xfffff);
            in.expect(",proto=");
            ip.nextHeader((int) in.unsigned("ipv6 proto", 0xff));
            in.expect(",tclass=");
            int tclass = (int) in.unsigned("ipv6 tclass", 0xff);
            in.expect(",hlimit=");
            ip.hopLimit((int) in.unsigned("ipv6 hlimit", 0xff));
            in.expect("),");
            ip.versionClassLabel(6, tclass, label).src(s6[0], s6[1]).dst(d6[0], d6[1]);
            l4 = ETH_LEN + IPV6_LEN;
        } else {
            throw in.error("tnl_push: header dl_type " + String.format("0x%04x", ethType)
                    + " is neither 0x0800 nor 0x86dd");
        }
        t.eth.dst(dst).src(src).etherType(ethType);
        t.wrapL4(l4);
        in.expect("udp(src=");
        t.udp.srcPort((int) in.unsigned("udp src", 0xffff));
        in.expect(",dst=");
        t.udp.dstPort((int) in.unsigned("udp dst", 0xffff));
        in.expect(",csum=");
        t.udp.checksum((int) in.unsigned("udp csum", 0xffff));
        if (type == DpActions.TNL_TYPE_GENEVE) {
            in.expect("),");
            h = Arrays.copyOf(h, l4 + UDP_LEN + GeneveText.parse(in, h, l4 + UDP_LEN));
            in.expect(")");
            return checkSize(in, sizePos, size, h);
        }
        in.expect("),vxlan(flags=");
        t.vxlan.flags((int) in.unsigned("vxlan flags", 0xffffffffL));
        in.expect(",vni=");
        t.vxlan.vni((int) in.unsigned("vxlan vni", VxlanHeaderFlyweight.MAX_VNI));
        in.expect("))");
        return checkSize(in, sizePos, size, h);
    }

    private static byte[] checkSize(TextCursor in, int sizePos, int size, byte[] h) {
        if (size != h.length) {
            throw in.errorAt(sizePos, "tnl_push: header size=" + size + " but the header described is " + h.length
                    + " bytes");
        }
        return h;
    }

    /** A VXLAN header is exactly {@code expected} bytes; a Geneve header at least that. */
    private static void expectLength(byte[] h, String name, String l3, int expected) {
        if (name.equals("geneve") ? h.length < expected : h.length != expected) {
            throw new IllegalArgumentException("tnl_push: " + name + " over " + l3 + " header must be "
                    + (name.equals("geneve") ? "at least " : "") + expected + " bytes, got " + h.length);
        }
    }

    private static void expectUdp(String name, int proto, String what) {
        if (proto != Ipv4HeaderFlyweight.PROTOCOL_UDP) {
            throw new IllegalArgumentException("tnl_push: " + name + " header " + what + " " + proto
                    + ", expected 17 (udp)");
        }
    }
}
