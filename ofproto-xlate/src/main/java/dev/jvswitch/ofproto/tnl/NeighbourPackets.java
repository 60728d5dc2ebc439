package dev.jvswitch.ofproto.tnl;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.port.OfPorts;
import dev.jvswitch.pmd.tunnel.IpAddress;

/**
 * The ARP and ND packets the switch sends from a bridge's {@code LOCAL} port: requests for a
 * tunnel's next hop (OVS's {@code tnl_send_arp_request}/{@code tnl_send_nd_request}) and replies
 * for its own addresses (what the kernel behind OVS's {@code br-phy} answers). Each comes with its
 * flow key, filled as the parser would, for translation through the bridge.
 *
 * <p>Slow path only (a few packets per neighbour): it allocates freely.
 */
final class NeighbourPackets {
    static final long BROADCAST = 0xffff_ffff_ffffL;
    private static final int ETH_TYPE_ARP = 0x0806;
    private static final int ETH_TYPE_IPV6 = 0x86dd;
    private static final int ARP_REQUEST = 1;
    private static final int ARP_REPLY = 2;
    private static final int ICMPV6 = 58;
    private static final int ND_HOP_LIMIT = 255;
    /** Neighbour advertisement flags: solicited and override. */
    private static final int NA_FLAGS = 0x6000_0000;

    private NeighbourPackets() {
    }

    /** An ARP request or neighbour solicitation for {@code p.ip()}, by its family. */
    static PacketOut request(NeighbourCache.Probe p) {
        return p.ip().isIpv4() ? arp(p.bridge(), ARP_REQUEST, BROADCAST, p.srcMac(), p.src(), 0, p.ip())
                : solicit(p.bridge(), p.srcMac(), p.src(), p.ip());
    }

    /**
     * What an endpoint says when it comes up or changes MAC (as Linux does for an address): a
     * gratuitous ARP request for its IPv4 address, an unsolicited advertisement to all nodes for
     * its IPv6 address.
     */
    static List<PacketOut> announce(Endpoint e) {
        List<PacketOut> out = new ArrayList<>();
        if (e.ipv4() != null) {
            out.add(arp(e.bridge(), ARP_REQUEST, BROADCAST, e.mac(), e.ipv4(), 0, e.ipv4()));
        }
        if (e.ipv6() != null) {
            IpAddress allNodes = new IpAddress(0xff02_0000_0000_0000L, 1);
            out.add(nd(e.bridge(), FlowKey.ND_NEIGHBOR_ADVERT, 0x2000_0000, 0x3333_0000_0001L, e.mac(), e.ipv6(),
                    allNodes, e.ipv6(), 2, e.mac()));
        }
        return out;
    }

    /** An ARP reply: {@code ourIp} is at {@code ourMac}, to {@code toMac}/{@code toIp}. */
    static PacketOut arpReply(String bridge, long ourMac, IpAddress ourIp, long toMac, IpAddress toIp) {
        return arp(bridge, ARP_REPLY, toMac, ourMac, ourIp, toMac, toIp);
    }

    private static PacketOut arp(String bridge, int op, long dst, long sha, IpAddress spa, long tha, IpAddress tpa) {
        ByteBuffer b = ByteBuffer.allocate(42);
        putMac(b, dst);
        putMac(b, sha);
        b.putShort((short) ETH_TYPE_ARP);
        b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) op);
        putMac(b, sha);
        b.putInt(spa.ipv4());
        putMac(b, tha);
        b.putInt(tpa.ipv4());
        FlowKey k = key(dst, sha, ETH_TYPE_ARP);
        k.set(FlowField.ARP_OP, op);
        k.set(FlowField.ARP_SPA, spa.ipv4() & 0xffff_ffffL);
        k.set(FlowField.ARP_TPA, tpa.ipv4() & 0xffff_ffffL);
        k.set(FlowField.ARP_SHA, sha);
        k.set(FlowField.ARP_THA, tha);
        return new PacketOut(bridge, b.array(), k);
    }

    /** A neighbour solicitation for {@code target}, to its solicited-node multicast address. */
    private static PacketOut solicit(String bridge, long srcMac, IpAddress src, IpAddress target) {
        IpAddress group = new IpAddress(0xff02_0000_0000_0000L, 0x0000_0001_ff00_0000L | (target.lo() & 0xff_ffffL));
        long dstMac = 0x3333_0000_0000L | (group.lo() & 0xffff_ffffL);
        return nd(bridge, FlowKey.ND_NEIGHBOR_SOLICIT, 0, dstMac, srcMac, src, group, target, 1, srcMac);
    }

    /** A solicited neighbour advertisement: {@code ourIp} is at {@code ourMac}, to {@code toIp}. */
    static PacketOut ndAdvert(String bridge, long ourMac, IpAddress ourIp, long toMac, IpAddress toIp) {
        IpAddress dst = toIp.isAny() ? new IpAddress(0xff02_0000_0000_0000L, 1) : toIp;
        return nd(bridge, FlowKey.ND_NEIGHBOR_ADVERT, NA_FLAGS, toMac, ourMac, ourIp, dst, ourIp, 2, ourMac);
    }

    private static PacketOut nd(String bridge, int type, int flags, long dstMac, long srcMac, IpAddress src,
            IpAddress dst, IpAddress target, int optType, long optMac) {
        int icmpLen = 8 + 16 + 8;
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + icmpLen);
        putMac(b, dstMac);
        putMac(b, srcMac);
        b.putShort((short) ETH_TYPE_IPV6);
        b.putInt(6 << 28).putShort((short) icmpLen).put((byte) ICMPV6).put((byte) ND_HOP_LIMIT);
        b.putLong(src.hi()).putLong(src.lo()).putLong(dst.hi()).putLong(dst.lo());
        int icmp = b.position();
        b.put((byte) type).put((byte) 0).putShort((short) 0).putInt(flags);
        b.putLong(target.hi()).putLong(target.lo());
        b.put((byte) optType).put((byte) 1);
        putMac(b, optMac);
        byte[] f = b.array();
        long sum = sum(f, 22, 32) + ICMPV6 + icmpLen + sum(f, icmp, icmpLen);
        int csum = ~fold(sum) & 0xffff;
        f[icmp + 2] = (byte) (csum >>> 8);
        f[icmp + 3] = (byte) csum;

        FlowKey k = key(dstMac, srcMac, ETH_TYPE_IPV6);
        long[] w = k.words();
        w[FlowField.IPV6_SRC.word()] = src.hi();
        w[FlowField.IPV6_SRC.word() + 1] = src.lo();
        w[FlowField.IPV6_DST.word()] = dst.hi();
        w[FlowField.IPV6_DST.word() + 1] = dst.lo();
        k.set(FlowField.NW_PROTO, ICMPV6);
        k.set(FlowField.NW_TTL, ND_HOP_LIMIT);
        k.set(FlowField.ICMPV6_TYPE, type);
        w[FlowField.ND_TARGET.word()] = target.hi();
        w[FlowField.ND_TARGET.word() + 1] = target.lo();
        k.set(optType == 1 ? FlowField.ND_SLL : FlowField.ND_TLL, optMac);
        return new PacketOut(bridge, f, k);
    }

    private static FlowKey key(long dst, long src, int ethType) {
        FlowKey k = new FlowKey();
        k.set(FlowField.IN_PORT, OfPorts.LOCAL);
        k.set(FlowField.ETH_DST, dst);
        k.set(FlowField.ETH_SRC, src);
        k.set(FlowField.ETH_TYPE, ethType);
        return k;
    }

    private static void putMac(ByteBuffer b, long mac) {
        b.putShort((short) (mac >>> 32)).putInt((int) mac);
    }

    private static long sum(byte[] b, int off, int len) {
        long s = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            s += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            s += (b[off + len - 1] & 0xff) << 8;
        }
        return s;
    }

    private static int fold(long sum) {
        long s = sum;
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }
}
