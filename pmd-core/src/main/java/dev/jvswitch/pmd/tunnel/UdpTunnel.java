package dev.jvswitch.pmd.tunnel;

import java.nio.ByteOrder;
import java.util.Objects;

import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.flowcache.tunnel.EthernetHeaderFlyweight;
import dev.jvswitch.flowcache.tunnel.Ipv4HeaderFlyweight;
import dev.jvswitch.flowcache.tunnel.Ipv6HeaderFlyweight;
import dev.jvswitch.flowcache.tunnel.UdpHeaderFlyweight;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.PacketBytes;

/**
 * A tunnel over UDP (OVS's {@code netdev_tnl_push_udp_header}, {@code udp_extract_tnl_md},
 * {@code udp_build_header}): everything a UDP tunnel type shares — the outer Ethernet,
 * IPv4/IPv6 and UDP headers on build, push and pop — with the type's own header (VXLAN's 8
 * bytes, Geneve's with options) left to {@link #writeTunnelHeader} and
 * {@link #parseTunnelHeader}.
 *
 * <pre>
 *  template and pushed packet               popped
 *  +----------+-----------+-----+--------+  +---------------------------+
 *  | ethernet | ipv4/ipv6 | udp | tunnel |  | inner frame ...           |
 *  +----------+-----------+-----+--------+  +---------------------------+
 *  0          14          34/54 42/62    50/70 (VXLAN)
 * </pre>
 *
 * <p><b>Per packet on push:</b> the template is copied into the headroom (no payload copy); the
 * IPv4 total length and id go in and the header checksum is updated incrementally from the
 * template's (RFC 1624: the template has both at 0); the IPv6 payload length; the UDP length and
 * source port, {@code 32768 + hash * (61000 - 32768) / 2^32} from the inner packet's RSS hash
 * (OVS's range), so every inner connection keeps one source port and the underlay's ECMP sees
 * the inner flows; the UDP checksum over the whole packet when the template's checksum field is
 * non-zero.
 *
 * <p><b>Per packet on pop</b> (the flow has matched the outer Ethernet, IP destination, UDP
 * and destination port, not a fragment): an IPv4 header must have no options, a valid checksum,
 * a total length within the frame and no fragment bits; IPv6 must carry UDP directly; the UDP
 * length must equal the IP payload's; a non-zero UDP checksum must be right (it then sets the
 * {@code csum} tunnel flag); then the type's header. Ethernet padding past the IP packet is cut
 * off with the outer headers.
 *
 * <p><b>Thread-safety:</b> immutable; see {@link TunnelOps}.
 */
public abstract class UdpTunnel implements TunnelOps {
    /** The tunnel flag bits of {@code tun_flags} (OVS's {@code FLOW_TNL_F_*}). */
    public static final int FLAG_OAM = 1;
    public static final int FLAG_DF = 2;
    public static final int FLAG_CSUM = 4;
    public static final int FLAG_KEY = 8;
    /**
     * The packet came through a tunnel with options (Geneve), which the flow key then holds raw
     * (OVS's {@code FLOW_TNL_F_UDPIF}); translation reads them through the bridge's TLV map.
     */
    public static final int FLAG_UDPIF = 16;
    /** OVS's {@code tnl_udp_port_min} and {@code tnl_udp_port_max}. */
    public static final int SRC_PORT_MIN = 32768;
    public static final int SRC_PORT_MAX = 61000;

    private static final ByteOrder NET = ByteOrder.BIG_ENDIAN;
    private static final int ETH = EthernetHeaderFlyweight.HEADER_LENGTH;
    private static final int IPV4 = Ipv4HeaderFlyweight.HEADER_LENGTH;
    private static final int IPV6 = Ipv6HeaderFlyweight.HEADER_LENGTH;
    private static final int UDP = UdpHeaderFlyweight.HEADER_LENGTH;
    private static final int PROTO_UDP = Ipv4HeaderFlyweight.PROTOCOL_UDP;

    private final int tnlType;
    private final TunnelConfig config;

    protected UdpTunnel(int tnlType, TunnelConfig config) {
        this.tnlType = tnlType;
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public final int tnlType() {
        return tnlType;
    }

    @Override
    public final TunnelConfig config() {
        return config;
    }

    @Override
    public final int headerLength(boolean ipv6) {
        return ETH + (ipv6 ? IPV6 : IPV4) + UDP + tunnelHeaderLength();
    }

    /** Bytes of the type's own header in a template (VXLAN: 8). */
    protected abstract int tunnelHeaderLength();

    /** Writes the type's header for {@code params} at {@code offset}; returns its length. */
    protected abstract int writeTunnelHeader(UnsafeBuffer buffer, int offset, TunnelHeaderParams params);

    /**
     * Reads the type's header at {@code index} with {@code available} bytes of UDP payload; a
     * type with options keeps them in {@code packet}'s {@link Mbuf#tunnelOptions()} (cleared
     * before the call).
     *
     * @return {@code flags << 48 | headerLength << 32 | key} (key unsigned, at most 32 bits; flags
     *         the {@code FLAG_*} bits the header sets, such as {@link #FLAG_OAM}), or the negated
     *         {@code POP_*} reason the packet is refused for
     */
    protected abstract long parseTunnelHeader(Mbuf packet, UnsafeBuffer buffer, int index, int available);

    // ------------------------------------------------------------------ build (slow path)

    @Override
    public final int buildHeader(TunnelHeaderParams p, byte[] out) {
        UnsafeBuffer b = new UnsafeBuffer(out);
        new EthernetHeaderFlyweight().wrap(b, 0, out.length).dst(p.ethDst()).src(p.ethSrc())
                .etherType(p.ipv6() ? EthernetHeaderFlyweight.ETHER_TYPE_IPV6 : EthernetHeaderFlyweight.ETHER_TYPE_IPV4);
        int l4;
        if (p.ipv6()) {
            new Ipv6HeaderFlyweight().wrap(b, ETH, out.length - ETH).versionClassLabel(6, p.tos() & 0xff, 0)
                    .payloadLength(0).nextHeader(PROTO_UDP).hopLimit(p.ttl())
                    .src(p.src().hi(), p.src().lo()).dst(p.dst().hi(), p.dst().lo());
            l4 = ETH + IPV6;
        } else {
            Ipv4HeaderFlyweight ip = new Ipv4HeaderFlyweight().wrap(b, ETH, out.length - ETH);
            ip.versionIhl(Ipv4HeaderFlyweight.VERSION_IHL_NO_OPTIONS).tos(p.tos() & 0xff).totalLength(0)
                    .identification(0).flagsFragment(p.df() ? Ipv4HeaderFlyweight.FLAG_DF : 0).ttl(p.ttl())
                    .protocol(PROTO_UDP).checksum(0).src(p.src().ipv4()).dst(p.dst().ipv4());
            ip.checksum(ip.computeChecksum());
            l4 = ETH + IPV4;
        }
        new UdpHeaderFlyweight().wrap(b, l4, out.length - l4).srcPort(0).dstPort(p.dstPort()).length(0)
                .checksum(p.csum() || p.ipv6() ? 0xffff : 0);
        return l4 + UDP + writeTunnelHeader(b, l4 + UDP, p);
    }

    // ------------------------------------------------------------------ push (per packet)

    @Override
    public final boolean pushHeader(Mbuf m, byte[] header, int headerLength, int ipId) {
        if (!m.prepend(headerLength)) {
            return false;
        }
        UnsafeBuffer b = m.buffer();
        int base = m.dataOffset();
        b.putBytes(base, header, 0, headerLength);
        int total = m.length();
        int ip = base + ETH;
        int l4;
        boolean v6 = (b.getShort(base + EthernetHeaderFlyweight.ETHER_TYPE_OFFSET, NET) & 0xffff)
                == EthernetHeaderFlyweight.ETHER_TYPE_IPV6;
        if (v6) {
            b.putShort(ip + Ipv6HeaderFlyweight.PAYLOAD_LENGTH_OFFSET, (short) (total - ETH - IPV6), NET);
            l4 = ip + IPV6;
        } else {
            int ipLength = total - ETH;
            int id = ipId & 0xffff;
            b.putShort(ip + Ipv4HeaderFlyweight.TOTAL_LENGTH_OFFSET, (short) ipLength, NET);
            b.putShort(ip + Ipv4HeaderFlyweight.IDENTIFICATION_OFFSET, (short) id, NET);
            // RFC 1624 eqn. 3 with both fields 0 in the template: HC' = ~(~HC + length + id).
            int hc = b.getShort(ip + Ipv4HeaderFlyweight.CHECKSUM_OFFSET, NET) & 0xffff;
            int sum = TunnelChecksum.fold((~hc & 0xffff) + ipLength + id);
            b.putShort(ip + Ipv4HeaderFlyweight.CHECKSUM_OFFSET, (short) ~sum, NET);
            l4 = ip + IPV4;
        }
        int udpLength = base + total - l4;
        b.putShort(l4 + UdpHeaderFlyweight.SRC_PORT_OFFSET, (short) sourcePort(m.rssHash()), NET);
        b.putShort(l4 + UdpHeaderFlyweight.LENGTH_OFFSET, (short) udpLength, NET);
        if (b.getShort(l4 + UdpHeaderFlyweight.CHECKSUM_OFFSET, NET) != 0) {
            b.putShort(l4 + UdpHeaderFlyweight.CHECKSUM_OFFSET, (short) 0, NET);
            long sum = v6 ? TunnelChecksum.sum(b, ip + Ipv6HeaderFlyweight.SRC_OFFSET, 32)
                    : TunnelChecksum.sum(b, ip + Ipv4HeaderFlyweight.SRC_OFFSET, 8);
            sum += PROTO_UDP + udpLength + TunnelChecksum.sum(b, l4, udpLength);
            int c = ~TunnelChecksum.fold(sum) & 0xffff;
            b.putShort(l4 + UdpHeaderFlyweight.CHECKSUM_OFFSET, (short) (c == 0 ? 0xffff : c), NET);
        }
        m.headerOffsets(0, ETH, l4 - base);
        return true;
    }

    /** The outer UDP source port of a packet with RSS hash {@code hash} (OVS's {@code netdev_tnl_get_src_port}). */
    public static int sourcePort(int hash) {
        return (int) (((hash & 0xffff_ffffL) * (SRC_PORT_MAX - SRC_PORT_MIN)) >>> 32) + SRC_PORT_MIN;
    }

    // ------------------------------------------------------------------ pop (per packet)

    @Override
    public final int popHeader(Mbuf m) {
        int len = m.length();
        int l3 = m.l3Offset();
        int l4 = m.l4Offset();
        // Either IP header is at least 20 bytes. Every read below is inside the packet: each
        // header is checked against len, the IP length and the UDP length first, so PacketBytes
        // reads without a check per access.
        if (l3 < 0 || l4 < 0 || l3 + IPV4 > len) {
            return POP_MALFORMED;
        }
        UnsafeBuffer b = m.buffer();
        // The first 8 bytes hold IPv4's version to fragment fields, or IPv6's whole fixed part
        // before the addresses (version, traffic class, payload length, next header, hop limit).
        long w0 = PacketBytes.u64(b, m.dataOffset() + l3);
        int version = (int) (w0 >>> 60);
        // The pop is split in small steps so that the JIT inlines all of an IPv4 pop into the
        // executor's loop (one method of the size of all of them would be called per packet).
        if (version == 4) {
            return popIpv4(m, b, w0, l3, l4, len);
        }
        if (version == 6) {
            return popIpv6(m, b, w0, l3, l4, len);
        }
        return POP_MALFORMED;
    }

    /** An IPv4 header: no options, a valid checksum, its total length inside the frame, no fragment bits. */
    private int popIpv4(Mbuf m, UnsafeBuffer b, long w0, int l3, int l4, int len) {
        if (l4 != l3 + IPV4) {
            return POP_MALFORMED;
        }
        int ip = m.dataOffset() + l3;
        // The whole header in three loads; the fields and the checksum come out of them.
        long w1 = PacketBytes.u64(b, ip + 8);
        long w2 = PacketBytes.u32(b, ip + 16);
        int total = (int) (w0 >>> 32) & 0xffff;
        if ((int) (w0 >>> 56) != Ipv4HeaderFlyweight.VERSION_IHL_NO_OPTIONS || total < IPV4 || l3 + total > len
                || (w0 & 0x3fff) != 0 || ((int) (w1 >>> 48) & 0xff) != PROTO_UDP
                || TunnelChecksum.fold((w0 >>> 32) + (w0 & 0xffff_ffffL) + (w1 >>> 32) + (w1 & 0xffff_ffffL) + w2)
                        != 0xffff) {
            return POP_MALFORMED;
        }
        // tos and ttl where Mbuf#tunnelTransportWord keeps them; tun_src and tun_dst as
        // Mbuf#tunnelIpv4Word does.
        return popUdp(m, b, l4, l3 + total, (w0 >>> 40 & 0xff00) | w1 >>> 56, w1 << 32 | w2,
                ip + Ipv4HeaderFlyweight.SRC_OFFSET, 8);
    }

    /** An IPv6 header: carrying UDP directly, its payload inside the frame. */
    private int popIpv6(Mbuf m, UnsafeBuffer b, long w0, int l3, int l4, int len) {
        if (l3 + IPV6 > len || l4 != l3 + IPV6) {
            return POP_MALFORMED;
        }
        int ipEnd = l3 + IPV6 + ((int) (w0 >>> 16) & 0xffff);
        if (ipEnd > len || ((int) (w0 >>> 8) & 0xff) != PROTO_UDP) {
            return POP_MALFORMED;
        }
        int ip = m.dataOffset() + l3;
        int at = ip + Ipv6HeaderFlyweight.SRC_OFFSET;
        int result = popUdp(m, b, l4, ipEnd, (w0 >>> 44 & 0xff00) | (w0 & 0xff), 0, at, 32);
        if (result == POP_OK) {
            m.tunnelIpv6(PacketBytes.u64(b, at), PacketBytes.u64(b, at + 8),
                    PacketBytes.u64(b, ip + Ipv6HeaderFlyweight.DST_OFFSET),
                    PacketBytes.u64(b, ip + Ipv6HeaderFlyweight.DST_OFFSET + 8));
        }
        return result;
    }

    /**
     * The rest of a pop whose IP header checked out, the IP packet ending at {@code ipEnd}: the
     * UDP length must be the IP payload's, a non-zero checksum right (over the pseudo-header's
     * {@code pseudoLength} address bytes at {@code pseudoAt}), then the type's header; the packet
     * becomes the inner frame with the tunnel metadata ({@code tosTtl} and {@code ipv4Word} as
     * {@link Mbuf#tunnelTransportWord()} and {@link Mbuf#tunnelIpv4Word()} hold them).
     */
    private int popUdp(Mbuf m, UnsafeBuffer b, int l4, int ipEnd, long tosTtl, long ipv4Word, int pseudoAt,
            int pseudoLength) {
        if (l4 + UDP > ipEnd) {
            return POP_MALFORMED;
        }
        int base = m.dataOffset();
        int udp = base + l4;
        long u = PacketBytes.u64(b, udp);
        int udpLength = (int) (u >>> 16) & 0xffff;
        if (udpLength != ipEnd - l4) {
            return POP_MALFORMED;
        }
        int flags = FLAG_KEY;
        if ((u & 0xffff) != 0) {
            if (!udpChecksumOk(b, udp, udpLength, pseudoAt, pseudoLength)) {
                return POP_BAD_CHECKSUM;
            }
            flags |= FLAG_CSUM;
        }
        int hdr = l4 + UDP;
        m.tunnelOptions().clear();
        long t = parseTunnelHeader(m, b, base + hdr, ipEnd - hdr);
        if (t < 0) {
            return (int) -t;
        }
        flags |= (int) (t >>> 48);
        int inner = hdr + (int) (t >>> 32 & 0xffff);
        if (inner > ipEnd) {
            return POP_MALFORMED;
        }
        // The UDP ports stay where they are in u: the packed word is Mbuf#tunnelTransportWord's.
        long transportWord = (u & 0xffff_ffff_0000_0000L) | (long) flags << 16 | tosTtl;
        m.slice(inner, ipEnd - inner);
        m.tunnelWords(t & 0xffff_ffffL, ipv4Word, transportWord);
        m.invalidateRssHash();
        return POP_OK;
    }

    /** The pseudo-header's addresses are summed only here: most IPv4 tunnels send no checksum. */
    private static boolean udpChecksumOk(UnsafeBuffer b, int udp, int udpLength, int pseudoAt, int pseudoLength) {
        long sum = TunnelChecksum.sum(b, pseudoAt, pseudoLength) + PROTO_UDP + udpLength
                + TunnelChecksum.sum(b, udp, udpLength);
        return TunnelChecksum.fold(sum) == 0xffff;
    }
}
