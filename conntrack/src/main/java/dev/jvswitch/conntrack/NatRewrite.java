package dev.jvswitch.conntrack;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Rewrites a tracked packet's addresses and ports for NAT (OVS's {@code nat_packet},
 * {@code pat_packet} and {@code nat_inner_packet}), fixing checksums incrementally (RFC 1624):
 * the IPv4 header checksum, and the TCP, UDP (when not zero) and ICMPv6 checksums over the
 * pseudo header. An ICMP error's outer header is translated as a packet of the connection, the
 * packet it quotes the other way round, and the ICMP checksum is then computed again over the
 * whole message, as OVS does. Offsets come from {@link CtPacket}, which checked them.
 *
 * <p>The rule, for a packet of one direction and the key of the other: a source NAT writes the
 * other key's destination address as the packet's source, a destination NAT writes the other
 * key's source address as its destination, and the ports become the other key's ports swapped.
 *
 * <p><b>Thread-safety:</b> stateless; works on the caller's packet.
 */
final class NatRewrite {
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private NatRewrite() {
    }

    /**
     * Translates {@code p} with {@code action} (as seen from the packet's direction) using the
     * key of the connection's other direction ({@code c}'s reply key when {@code replyKey}, else
     * its original key); returns the ct_state bit it sets.
     */
    static int nat(CtPacket p, int action, Conn c, boolean replyKey) {
        if ((action & (NatAction.SRC | NatAction.DST)) == 0) {
            return 0;
        }
        long srcHi = replyKey ? c.rSrcHi : c.srcHi;
        long srcLo = replyKey ? c.rSrcLo : c.srcLo;
        long dstHi = replyKey ? c.rDstHi : c.dstHi;
        long dstLo = replyKey ? c.rDstLo : c.dstLo;
        long meta = replyKey ? c.rMeta : c.meta;
        UnsafeBuffer b = p.buf;
        int l4End = p.l4 + p.l4Len;
        setAddr(b, p.ipv6, p.l3, action, srcHi, srcLo, dstHi, dstLo, p.l4, l4End, p.proto);
        if (!p.related) {
            pat(b, p.l4, l4End, p.proto, meta);
        } else {
            natInner(p, NatAction.reverse(action), srcHi, srcLo, dstHi, dstLo, meta);
        }
        return (action & NatAction.SRC) != 0 ? CtState.SNAT : CtState.DNAT;
    }

    /** The quoted packet of an ICMP error, translated with the reversed key; then the ICMP checksum. */
    private static void natInner(CtPacket p, int action, long srcHi, long srcLo, long dstHi, long dstLo,
            long meta) {
        UnsafeBuffer b = p.buf;
        int end = p.icmpEnd;
        // The reversed key: its source is the other key's destination and its ports swap.
        long revMeta = CtKey.reverseMeta(meta);
        pat(b, p.innerL4, end, p.innerProto, revMeta);
        setAddr(b, p.ipv6, p.innerL3, action, dstHi, dstLo, srcHi, srcLo, p.innerL4, end, p.innerProto);
        b.putShort(p.l4 + 2, (short) 0);
        int sum = CtChecksum.sum(b, p.l4, p.l4Len);
        if (p.ipv6) {
            sum = CtChecksum.fold((long) sum + CtChecksum.pseudo6(b.getLong(p.l3 + 8, BE), b.getLong(p.l3 + 16, BE),
                    b.getLong(p.l3 + 24, BE), b.getLong(p.l3 + 32, BE), CtPacket.ICMPV6, p.l4Len));
        }
        b.putShort(p.l4 + 2, (short) (~sum & 0xffff), BE);
    }

    /** Source NAT: source := key's destination; destination NAT: destination := key's source. */
    private static void setAddr(UnsafeBuffer b, boolean ipv6, int l3, int action, long kSrcHi, long kSrcLo,
            long kDstHi, long kDstLo, int l4, int l4End, int proto) {
        boolean src = (action & NatAction.SRC) != 0;
        if (!ipv6) {
            int field = l3 + (src ? 12 : 16);
            int old = b.getInt(field, BE);
            int neu = (int) (src ? kDstLo : kSrcLo);
            if (old == neu) {
                return;
            }
            b.putShort(l3 + 10, (short) update32(b.getShort(l3 + 10, BE) & 0xffff, old, neu), BE);
            l4Sum32(b, l4, l4End, proto, old, neu);
            b.putInt(field, neu, BE);
        } else {
            int field = l3 + (src ? 8 : 24);
            long hi = src ? kDstHi : kSrcHi;
            long lo = src ? kDstLo : kSrcLo;
            long oldHi = b.getLong(field, BE);
            long oldLo = b.getLong(field + 8, BE);
            l4Sum32(b, l4, l4End, proto, (int) (oldHi >>> 32), (int) (hi >>> 32));
            l4Sum32(b, l4, l4End, proto, (int) oldHi, (int) hi);
            l4Sum32(b, l4, l4End, proto, (int) (oldLo >>> 32), (int) (lo >>> 32));
            l4Sum32(b, l4, l4End, proto, (int) oldLo, (int) lo);
            b.putLong(field, hi, BE);
            b.putLong(field + 8, lo, BE);
        }
    }

    /** Ports := the key's ports swapped (an ICMP echo's id := the key's id). */
    private static void pat(UnsafeBuffer b, int l4, int l4End, int proto, long keyMeta) {
        int kSrc = (int) (keyMeta >>> 48) & 0xffff;
        int kDst = (int) (keyMeta >>> 32) & 0xffff;
        switch (proto) {
            case CtPacket.TCP, CtPacket.UDP -> {
                if (l4 + 4 > l4End) {
                    return;
                }
                int old = b.getInt(l4, BE);
                int neu = (kDst << 16) | kSrc;
                if (old != neu) {
                    l4Sum32(b, l4, l4End, proto, old, neu);
                    b.putInt(l4, neu, BE);
                }
            }
            case CtPacket.ICMP -> {
                int type = b.getByte(l4) & 0xff;
                if (l4 + 8 > l4End || IcmpTypes.reverse4(type) < 0) {
                    return;
                }
                int old = b.getShort(l4 + 4, BE) & 0xffff;
                if (old != kSrc) {
                    b.putShort(l4 + 2, (short) update16(b.getShort(l4 + 2, BE) & 0xffff, old, kSrc), BE);
                    b.putShort(l4 + 4, (short) kSrc, BE);
                }
            }
            default -> {
                // no ports
            }
        }
    }

    /** Folds a 32-bit change of pseudo-header or header bytes into the L4 checksum, where there is one. */
    private static void l4Sum32(UnsafeBuffer b, int l4, int l4End, int proto, int old, int neu) {
        int at;
        switch (proto) {
            case CtPacket.TCP -> at = l4 + 16;
            case CtPacket.UDP -> at = l4 + 6;
            case CtPacket.ICMPV6 -> at = l4 + 2;
            default -> {
                return;
            }
        }
        if (at + 2 > l4End) {
            return;
        }
        int csum = b.getShort(at, BE) & 0xffff;
        if (proto == CtPacket.UDP && csum == 0) {
            return; // no checksum (IPv4 only: an IPv6 UDP packet without one was refused)
        }
        int next = update32(csum, old, neu);
        if (proto == CtPacket.UDP && next == 0) {
            next = 0xffff;
        }
        b.putShort(at, (short) next, BE);
    }

    /** RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). */
    static int update16(int csum, int old, int neu) {
        int s = (~csum & 0xffff) + (~old & 0xffff) + (neu & 0xffff);
        s = (s & 0xffff) + (s >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        return ~s & 0xffff;
    }

    static int update32(int csum, int old, int neu) {
        return update16(update16(csum, old >>> 16, neu >>> 16), old & 0xffff, neu & 0xffff);
    }
}
